/**
 * The checkout's nodeset, assembled and run for real on sandbox hosts (scenarios/assembled-stack.ts):
 * a deploy from nothing, a rolling update of the application that reaches the app nodes only, an
 * idempotent re-run, status, rollback; requests through the front door to MariaDB and memcached
 * must all succeed from the first release on.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { probeSandbox } from '../helpers/nodeset-sandbox/probe';
import { runScenario, scenarioValue } from '../helpers/nodeset-sandbox/sandbox';
import type { StackArgs, StackResult, StackStepResult } from './scenarios/assembled-stack';

const probe = probeSandbox();
const skip = probe.available ? false : probe.reason;
const APPS = ['app1', 'app2', 'app3'];

function noFailedRequests(step: StackStepResult): void {
  assert.deepEqual(step.failedRequests, [], `requests through the front door failed during ${JSON.stringify(step.step)}`);
}

test('assembled trees on five hosts: deploy, a rolling update of the app nodes only, a re-run, status, rollback', { skip }, async (t) => {
  const run = await runScenario<StackResult>({
    scenario: require.resolve('./scenarios/assembled-stack'),
    hosts: [...APPS, 'bal', 'db'],
    args: {
      steps: [
        { do: 'deploy', version: 'v1' },
        { do: 'deploy', version: 'v2' },
        { do: 'deploy', version: 'v2' },
        { do: 'status' },
        { do: 'rollback' },
      ],
    } satisfies StackArgs,
    timeoutMs: 480_000,
  });
  assert.deepEqual(run.leftovers, []);
  const result = scenarioValue(run);
  for (const step of result.steps) t.diagnostic(`${step.step.do} ${step.durationMs} ms: ${step.runs.join(', ')}`);
  const [first, update, again, status, back] = result.steps;

  assert.equal(first.status, 0, first.lines.join('\n'));
  assert.deepEqual(first.current, { app1: 'r1', app2: 'r1', app3: 'r1', balancer: 'r1', db: 'r1' });
  assert.deepEqual(result.modes, { grants: '600', supervisor: '600' });

  // the application changed: the app nodes take r2, the balancer and the database keep r1 running
  assert.equal(update.status, 0, update.lines.join('\n'));
  assert.deepEqual(update.current, { app1: 'r2', app2: 'r2', app3: 'r2', balancer: 'r1', db: 'r1' });
  assert.deepEqual(update.lines.slice(3), ['balancer: already at r1', 'db: already at r1']);
  noFailedRequests(update);
  assert.ok(update.servedBy.v1 > 0 && update.servedBy.v2 > 0, `v1 then v2 answered: ${JSON.stringify(update.servedBy)}`);
  assert.deepEqual(result.updateLog, ['r1', 'r2']);

  assert.equal(again.status, 0, again.lines.join('\n'));
  assert.deepEqual(again.runs, ['facts']);
  noFailedRequests(again);
  assert.deepEqual(Object.keys(again.servedBy), ['v2']);

  assert.equal(status.status, 0, status.lines.join('\n'));
  noFailedRequests(status);

  assert.equal(back.status, 0, back.lines.join('\n'));
  assert.deepEqual(back.current, { app1: 'r1', app2: 'r1', app3: 'r1', balancer: 'r1', db: 'r1' });
  noFailedRequests(back);
});
