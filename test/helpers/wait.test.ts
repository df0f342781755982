/** The shared wait helper: what it resolves to, how it times out, and that it hides no error. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { exitOf, waitFor, within } from './wait';

test('waitFor resolves to the first value that is not false, undefined or null', async () => {
  let calls = 0;
  const values: unknown[] = [false, undefined, null, 0];
  assert.equal(await waitFor(() => values[calls++], { what: 'a zero', intervalMs: 1 }), 0, 'zero and "" are values');
  assert.equal(calls, 4);
  assert.equal(await waitFor(async () => 'ready', { what: 'an async value' }), 'ready');
});

test('waitFor times out naming what it waited for and what it saw instead', async () => {
  const started = Date.now();
  await assert.rejects(
    waitFor(() => false, { what: 'the moon to turn blue', timeoutMs: 60, intervalMs: 5, detail: () => 'grey' }),
    (error: Error) => {
      assert.equal(error.message, 'timed out after 60 ms waiting for the moon to turn blue\n  seen instead: grey');
      return true;
    },
  );
  assert.ok(Date.now() - started >= 60, 'it waited the whole timeout');
});

test('a condition that throws ends the wait with its own error, at once', async () => {
  let calls = 0;
  const broken = (): never => {
    calls++;
    throw new Error('the probe broke');
  };
  await assert.rejects(waitFor(broken, { what: 'anything', timeoutMs: 10_000 }), /the probe broke/);
  assert.equal(calls, 1);
});

test('within bounds a promise; exitOf also sees a child that has already exited', async () => {
  assert.equal(await within(Promise.resolve(7), { what: 'seven', timeoutMs: 1000 }), 7);
  const never = new Promise(() => undefined);
  const bounded = within(never, { what: 'a promise that never settles', timeoutMs: 20 });
  await assert.rejects(bounded, /timed out after 20 ms waiting for a promise that never settles/);
  const child = spawn(process.execPath, ['-e', 'process.exit(3)']);
  const exit = await within(exitOf(child), { what: 'node -e to exit', timeoutMs: 10_000 });
  assert.deepEqual(exit, { code: 3, signal: null });
  assert.deepEqual(await exitOf(child), { code: 3, signal: null }, 'asked again after the exit');
});
