/**
 * The crash policy on its own, against a real state database in a temporary directory: the
 * backoff, what one exit does to a program's control row and history, when it gives up, and the
 * exits it must leave alone (a stop, a program already given up or already due to restart).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { backoffDelay, CrashPolicy } from './crash-policy';
import type { Program, SupervisorConfig } from './config';
import type { RestartPolicy } from './format';
import type { Pm2Client } from './pm2-client';
import type { Runtime } from './runtime';
import { StateDb } from './state-db';

const RESTART: RestartPolicy = { maxRetries: 2, baseDelayMs: 500, maxDelayMs: 3000, stableAfterMs: 10_000 };

test('backoff: the base delay, doubled per consecutive failure, capped, never NaN', () => {
  const delays = [0, 1, 2, 3, 4, 5].map((failures) => backoffDelay(failures, RESTART));
  assert.deepEqual(delays, [500, 500, 1000, 2000, 3000, 3000]);
  assert.equal(backoffDelay(5000, RESTART), 3000, '2 ** 4999 is Infinity: still the cap');
  assert.equal(backoffDelay(3, { ...RESTART, maxDelayMs: 500 }), 500);
});

interface Fixture {
  policy: CrashPolicy;
  db: StateDb;
  said: string[];
  program: Program;
  done: () => void;
}

/** A runtime with one program, "web", whose logs are in a temporary directory. */
function fixture(errLog = '', outLog = ''): Fixture {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-crash-policy-'));
  const program = { name: 'web', errLog: path.join(dir, 'web.err'), outLog: path.join(dir, 'web.out') } as Program;
  writeFileSync(program.errLog, errLog);
  writeFileSync(program.outLog, outLog);
  const db = StateDb.open(path.join(dir, 'state', 'monitor.sqlite'), 100);
  const said: string[] = [];
  const config = { restart: RESTART, programs: [program] } as unknown as SupervisorConfig;
  const rt: Runtime = { config, db, pm2: {} as Pm2Client, say: (line) => said.push(line), progress: () => undefined };
  db.setControl('web', { desired: 'running', started_at: Date.now() - 100 });
  const done = (): void => {
    db.db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  return { policy: new CrashPolicy(rt), db, said, program, done };
}

/** As if the due restart had happened: the program runs again, started now. */
function restarted(db: StateDb): void {
  db.setControl('web', { next_restart_at: null, started_at: Date.now() - 100 });
}

test('a quick exit schedules a restart after the backoff, and says why in the history and to the operator', () => {
  const { policy, db, said, done } = fixture();
  try {
    const before = Date.now();
    policy.onExit('web', { code: 3, signal: null });
    const row = db.control('web')!;
    assert.equal(row.failures, 1);
    assert.ok(row.next_restart_at! >= before + 500 && row.next_restart_at! <= Date.now() + 500, 'due in 500 ms');
    assert.deepEqual([row.last_exit_code, row.last_exit_signal, row.fatal], [3, null, null]);
    const history = db.events('web').map((e) => [e.event, e.detail]);
    assert.deepEqual(history, [['exited', 'exit code 3; restart 1 of 2 in 500 ms']]);
    assert.match(said[0], /^web: exited with code 3 after 0\.\d s; restarting in 500 ms \(1\/2\)$/);
  } finally {
    done();
  }
});

test('past maxRetries quick exits in a row it gives up: FATAL with the reason and the last log line', () => {
  const { policy, db, said, done } = fixture('starting\ncannot bind 127.0.0.1:8080\n');
  try {
    for (let i = 0; i < 3; i++) {
      policy.onExit('web', { code: 1, signal: null });
      if (i < 2) restarted(db);
    }
    const row = db.control('web')!;
    const reason =
      'exited 3 times in a row, each within 10 s of starting (last exit code 1); ' +
      'gave up after 2 restarts. Last log line: cannot bind 127.0.0.1:8080';
    assert.deepEqual([row.failures, row.fatal, row.next_restart_at], [3, reason, null]);
    assert.deepEqual(
      db.events('web').map((e) => e.event),
      ['fatal', 'exited', 'exited'],
    );
    assert.equal(db.events('web')[1].detail, 'exit code 1; restart 2 of 2 in 1000 ms', 'the second delay doubled');
    assert.equal(said[2], `web: FATAL: ${reason}`);
  } finally {
    done();
  }
});

test('the last log line comes from stdout when stderr is empty, and says so when both are', () => {
  for (const [outLog, line] of [
    ['listening\nsegfault\n', 'segfault'],
    ['', '(its logs are empty)'],
  ]) {
    const { policy, db, done } = fixture('', outLog);
    try {
      for (let i = 0; i < 3; i++) {
        policy.onExit('web', { code: 139, signal: null });
        restarted(db);
      }
      assert.ok(db.control('web')!.fatal!.endsWith(`Last log line: ${line}`), db.control('web')!.fatal!);
    } finally {
      done();
    }
  }
});

test('a run that lasted stableAfterMs makes the next crash failure 1 again', () => {
  const { policy, db, done } = fixture();
  try {
    db.setControl('web', { failures: 2, started_at: Date.now() - RESTART.stableAfterMs - 1 });
    policy.onExit('web', { code: 1, signal: null });
    assert.equal(db.control('web')!.failures, 1);
    assert.equal(db.control('web')!.fatal, null);
  } finally {
    done();
  }
});

test('killed by a signal: the signal is recorded and named, never an exit code', () => {
  const { policy, db, said, done } = fixture();
  try {
    policy.onExit('web', { code: null, signal: 'SIGKILL' });
    const row = db.control('web')!;
    assert.deepEqual([row.last_exit_code, row.last_exit_signal], [null, 'SIGKILL']);
    assert.equal(db.events('web')[0].detail, 'killed by SIGKILL; restart 1 of 2 in 500 ms');
    assert.match(said[0], /^web: killed by SIGKILL after/);
  } finally {
    done();
  }
});

test('exits it leaves alone: a wanted stop, a stop under way, a program given up, a restart already due', () => {
  const cases: Array<[string, Parameters<StateDb['setControl']>[1]]> = [
    ['stopped by the operator', { desired: 'stopped' }],
    ['being stopped', { stopping: 1 }],
    ['already FATAL', { fatal: 'gave up' }],
    ['a restart already scheduled (the same exit reported twice)', { next_restart_at: Date.now() + 400, failures: 1 }],
  ];
  for (const [label, state] of cases) {
    const { policy, db, said, done } = fixture();
    try {
      db.setControl('web', state);
      const before = db.control('web')!;
      policy.onExit('web', { code: 0, signal: null });
      const after = db.control('web')!;
      const policyState = (row: typeof after) => [row.failures, row.next_restart_at, row.fatal];
      assert.deepEqual(policyState(after), policyState(before), label);
      assert.equal(after.last_exit_code, 0, `${label}: the exit itself is recorded`);
      assert.deepEqual([db.events('web'), said], [[], []], `${label}: nothing scheduled, nothing said`);
    } finally {
      done();
    }
  }
});

test('an exit of a program that is not configured, or has no control row, changes nothing', () => {
  const { policy, db, done } = fixture();
  try {
    policy.onExit('gone', { code: 1, signal: null });
    assert.equal(db.control('gone'), undefined);
    db.forget('web');
    policy.onExit('web', { code: 1, signal: null });
    assert.equal(db.control('web'), undefined);
  } finally {
    done();
  }
});
