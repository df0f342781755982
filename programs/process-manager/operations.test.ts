/** The pure parts of the operations view: times, log stamps, the least-loaded order, metric labels. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseSince } from './since';
import { parseLine } from './log-search';
import { rankMembers, type PoolMember } from './least-loaded';
import { renderMetrics } from './metrics';
import type { StatusRow } from './status';

test('since: durations before now and epoch ms; anything else is not a time', () => {
  const now = 1_000_000_000;
  assert.equal(parseSince('10m', now), now - 600_000);
  assert.equal(parseSince('1.5h', now), now - 5_400_000);
  assert.equal(parseSince('2d', now), now - 172_800_000);
  assert.equal(parseSince('1700000000000', now), 1_700_000_000_000);
  for (const bad of ['', 'yesterday', '10 m', '-5m', '10w']) assert.equal(parseSince(bad, now), undefined, bad);
});

test("log lines: pm2's local-time stamp is read, an unstamped line is not", () => {
  const parsed = parseLine('2026-01-31T23:59:58: hello: world');
  assert.deepEqual(parsed, { ts: new Date(2026, 0, 31, 23, 59, 58).getTime(), text: 'hello: world' });
  assert.equal(parseLine('  at stack frame'), undefined);
});

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

test('metrics: label values escaped, a signal exported as 128 + its number', () => {
  const row = {
    name: 'we"b\\1',
    type: 'program',
    state: 'EXITED',
    pid: null,
    restarts: 2,
    lastExitCode: null,
    lastExitSignal: 'SIGKILL',
    ready: null,
  } as unknown as StatusRow;
  const text = renderMetrics('node\na', [row]);
  assert.match(text, /^zeta_program_up\{node="node\\na",program="we\\"b\\\\1",type="program",state="EXITED"\} 0$/m);
  assert.match(text, /^zeta_program_last_exit_code\{.*signal="SIGKILL"\} 137$/m);
  assert.match(text, /^zeta_program_restarts_total\{.*\} 2$/m);
});
