/**
 * Reading what runs, read-only: no daemon, no plan of changes (and nothing created); a live
 * daemon, the control rows with their specs and whether each recorded process is alive; the
 * configuration fingerprint from the content after the change, or from disk.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { SupervisorFile } from './format';
import type { Program } from './config';
import { configHashOf, readRunningState } from './runtime-state';
import { StateDb } from './state-db';
import { identify } from './process-identity';

function setUp(): { dir: string; config: SupervisorFile } {
  const dir = mkdtempSync(path.join(tmpdir(), 'zs-state-'));
  const config = {
    pm2Home: path.join(dir, 'pm2'),
    stateDir: path.join(dir, 'var'),
    programs: [],
  } as unknown as SupervisorFile;
  return { dir, config };
}

test('no daemon: not running, and nothing is created', () => {
  const { dir, config } = setUp();
  try {
    assert.deepEqual(readRunningState(config), { running: false, programs: [] });
    assert.equal(existsSync(config.pm2Home), false);
    assert.equal(existsSync(config.stateDir), false);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a live daemon: each control row with its spec, alive when its recorded process still runs', () => {
  const { dir, config } = setUp();
  try {
    mkdirSync(config.pm2Home);
    // this test's own process stands in for pm2's daemon and for one program
    writeFileSync(path.join(config.pm2Home, 'pm2.pid'), String(process.pid));
    writeFileSync(path.join(config.pm2Home, 'daemon-identity.json'), JSON.stringify(identify(process.pid)));
    const db = StateDb.open(path.join(config.stateDir, 'monitor.sqlite'), 10);
    db.setControl('web', { desired: 'running', spec: JSON.stringify({ name: 'web' }), config_hash: 'abc' });
    db.recordProcess('web', identify(process.pid)!);
    db.setControl('gone', { desired: 'running', spec: JSON.stringify({ name: 'gone' }) });
    db.recordProcess('gone', { pid: process.pid, start: 1 });
    db.close();
    const state = readRunningState(config);
    assert.equal(state.running, true);
    const byName = Object.fromEntries(state.programs.map((p) => [p.name, p]));
    assert.deepEqual(byName.web, {
      name: 'web',
      spec: { name: 'web' },
      configHash: 'abc',
      desired: 'running',
      alive: true,
    });
    assert.equal(byName.gone.alive, false, 'a pid with another start time is another process');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the configuration fingerprint: the content after the change when given, the file on disk otherwise', () => {
  const { dir } = setUp();
  try {
    const file = path.join(dir, 'a.conf');
    writeFileSync(file, 'one');
    const program = { name: 'a', configFiles: [file] } as unknown as Program;
    const onDisk = configHashOf(program);
    assert.equal(
      configHashOf(program, () => 'one'),
      onDisk,
    );
    assert.notEqual(
      configHashOf(program, () => 'two'),
      onDisk,
    );
    assert.equal(
      configHashOf(program, () => undefined),
      onDisk,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
