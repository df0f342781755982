/** How an exit is said everywhere: a signal wins over pm2's `code || 0`, and an unknown exit says so. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { describeExit, exitOf } from './exit-status';
import type { Pm2Process } from './pm2-client';

const proc = (env: Record<string, unknown>): Pm2Process => ({ pm2_env: env }) as unknown as Pm2Process;

test("a signal recorded beside pm2's exit code 0 is the exit: killed by it, with no code", () => {
  assert.deepEqual(exitOf(proc({ exit_code: 0, exit_signal: 'SIGKILL' })), { code: null, signal: 'SIGKILL' });
  assert.equal(describeExit(exitOf(proc({ exit_code: 0, exit_signal: 'SIGKILL' }))), 'killed by SIGKILL');
});

test('an exit by itself keeps its code, 0 included; no process or no code is unknown', () => {
  assert.deepEqual(exitOf(proc({ exit_code: 3 })), { code: 3, signal: null });
  assert.equal(describeExit(exitOf(proc({ exit_code: 0 }))), 'exit code 0');
  assert.equal(describeExit(exitOf(proc({ exit_signal: null }))), 'exit status unknown');
  assert.equal(describeExit(exitOf(undefined)), 'exit status unknown');
});
