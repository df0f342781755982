/**
 * The supervisor part's runtime hook is read-only: with no process manager running it reports
 * what bin/supervisord will start, and starts no pm2 daemon (its home is not even created);
 * apply does nothing to a stack that is not running.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { RuntimeContext } from '../../src/recipe';
import type { ProgramEntry, SupervisorFile } from '../../programs/process-manager/public';
import { applyRuntime, planOfRuntime } from './runtime-hooks';

const entry = (name: string, priority: number): ProgramEntry => ({
  name,
  type: 'program',
  command: [`/bin/${name}`],
  priority,
  listen: [],
  ready: { kind: 'none' },
  readyTimeoutMs: 1000,
  stopSignal: 'SIGTERM',
  stopTimeoutMs: 1000,
  wrapper: `/p/${name}.sh`,
  outLog: `/l/${name}.log`,
  errLog: `/l/${name}.log`,
});

test('not running: the report lists what bin/supervisord starts, by priority; nothing is started', async () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zs-hooks-'));
  try {
    const config = {
      directory: dir,
      pm2Home: path.join(dir, 'pm2'),
      stateDir: path.join(dir, 'var'),
      programs: [entry('web', 20), entry('db', 0)],
    } as unknown as SupervisorFile;
    const exec = (): never => {
      throw new Error('apply ran a command on a stack that is not running');
    };
    const ctx = { name: 'supervisor', exec } as unknown as RuntimeContext;
    const report = planOfRuntime(ctx, config);
    assert.deepEqual(report, {
      running: false,
      changes: [
        { program: 'db', action: 'start', how: 'bin/supervisord starts it (priority 0)' },
        { program: 'web', action: 'start', how: 'bin/supervisord starts it (priority 20)' },
      ],
    });
    assert.equal(existsSync(config.pm2Home), false, 'no pm2 daemon home was made');
    assert.deepEqual(await applyRuntime(ctx, config, '/bin/supervisorctl', report), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
