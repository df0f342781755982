/**
 * The process manager's configuration: reading supervisor.json (a missing file and a file of
 * another format are errors that say what to do), where things live, and the priority groups
 * the programs start in.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ZetaError } from '../../src/errors/zeta-error';
import { agentLog, databaseFile, loadConfig, priorityGroups, type Program, type SupervisorConfig } from './config';
import { FORMAT_VERSION } from './format';

const program = (name: string, priority: number): Program => ({ name, priority }) as Program;
const groupNames = (programs: Program[]): string[][] =>
  priorityGroups(programs).map((group) => group.map((p) => p.name));

test('priority groups: lowest first, by number (100 after 20), in the configured order within a group', () => {
  const programs = [program('web', 100), program('db', 20), program('cache', 20), program('front', 300)];
  assert.deepEqual(groupNames([...programs, program('queue', 100)]), [['db', 'cache'], ['web', 'queue'], ['front']]);
  const signed = [program('late', 5), program('early', -1), program('zero', 0)];
  assert.deepEqual(groupNames(signed), [['early'], ['zero'], ['late']]);
  assert.deepEqual(groupNames([]), []);
  assert.deepEqual(groupNames([program('a', 10), program('b', 10)]), [['a', 'b']], 'one group for one priority');
});

function withFile(text: string | undefined, check: (file: string) => void): void {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-pm-config-'));
  try {
    const file = path.join(dir, 'supervisor.json');
    if (text !== undefined) writeFileSync(file, text);
    check(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function thrown(action: () => unknown): ZetaError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ZetaError, String(error));
    return error;
  }
  assert.fail('no error');
}

test('loadConfig: the file made absolute; a missing file or another format is SUPERVISOR_CONFIG with a hint', () => {
  const minimal = {
    version: FORMAT_VERSION,
    part: 'supervisor',
    logDir: '/t/var/log',
    stateDir: '/t/var/supervisor',
    programs: [],
  };
  withFile(JSON.stringify(minimal), (file) => {
    const config = loadConfig(path.relative(process.cwd(), file));
    assert.equal(config.file, file);
    assert.equal(agentLog(config), '/t/var/log/supervisor-agent.log');
    assert.equal(databaseFile(config), '/t/var/supervisor/monitor.sqlite');
  });
  withFile(undefined, (file) => {
    const error = thrown(() => loadConfig(file));
    assert.equal(error.code, 'SUPERVISOR_CONFIG');
    assert.match(error.message, /cannot read the process manager's configuration .*supervisor\.json/);
    assert.match(error.hint!, /run bin\/assemble first/);
  });
  withFile(JSON.stringify({ ...minimal, version: FORMAT_VERSION + 1 }), (file) => {
    const error = thrown(() => loadConfig(file));
    const newer = FORMAT_VERSION + 1;
    assert.equal(error.message, `${file} is in format ${newer}; this process manager reads format ${FORMAT_VERSION}`);
    assert.match(error.hint!, /run bin\/assemble again/);
  });
  withFile(JSON.stringify({ ...minimal, version: undefined }), (file) => {
    assert.match(thrown(() => loadConfig(file)).message, /is in format undefined/);
  });
});

test('the agent log and the database follow the part name and the state directory', () => {
  const config = { part: 'pm', logDir: '/x/log', stateDir: '/x/state' } as SupervisorConfig;
  assert.equal(agentLog(config), '/x/log/pm-agent.log');
  assert.equal(databaseFile(config), '/x/state/monitor.sqlite');
});
