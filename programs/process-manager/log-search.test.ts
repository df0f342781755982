/** Reading pm2's per-line time stamps. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseLine } from './log-search';

test("log lines: pm2's local-time stamp is read, an unstamped line is not", () => {
  const parsed = parseLine('2026-01-31T23:59:58: hello: world');
  assert.deepEqual(parsed, { ts: new Date(2026, 0, 31, 23, 59, 58).getTime(), text: 'hello: world' });
  assert.equal(parseLine('  at stack frame'), undefined);
});
