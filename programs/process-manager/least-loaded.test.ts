/** The least-loaded order of a pool's members. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { rankMembers, type PoolMember } from './least-loaded';

test('least loaded: fewer sessions first, then less cpu; stopped or not UP never picked', () => {
  const m = (
    program: string,
    sessions: number | null,
    cpu: number | null,
    state = 'RUNNING',
    status = 'UP',
  ): PoolMember => ({
    program,
    server: program,
    state,
    status,
    sessions,
    cpu,
  });
  const ranked = rankMembers([
    m('a', 3, 1),
    m('b', 1, 50),
    m('c', 1, 10),
    m('d', 0, 0, 'STOPPED'),
    m('e', 0, 0, 'RUNNING', 'DRAIN'),
  ]);
  assert.deepEqual(
    ranked.map((x) => x.program),
    ['c', 'b', 'a'],
  );
  // the balancer unreachable: cpu alone
  assert.deepEqual(
    rankMembers([m('a', null, 5), m('b', null, 2)].map((x) => ({ ...x, status: null }))).map((x) => x.program),
    ['b', 'a'],
  );
});
