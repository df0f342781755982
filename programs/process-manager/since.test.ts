/** parseSince: durations before now and epoch ms. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseSince } from './since';

test('since: durations before now and epoch ms; anything else is not a time', () => {
  const now = 1_000_000_000;
  assert.equal(parseSince('10m', now), now - 600_000);
  assert.equal(parseSince('1.5h', now), now - 5_400_000);
  assert.equal(parseSince('2d', now), now - 172_800_000);
  assert.equal(parseSince('1700000000000', now), 1_700_000_000_000);
  for (const bad of ['', 'yesterday', '10 m', '-5m', '10w']) assert.equal(parseSince(bad, now), undefined, bad);
});
