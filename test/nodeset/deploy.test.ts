/**
 * `nodeset deploy` and `nodeset rollback` on sandbox hosts: the generated inventory, ansible.cfg
 * and playbooks run by the real ansible-playbook over ssh into each host's network namespace, a
 * real haproxy on the balancer drained and re-enabled through its runtime API, and a request loop
 * through it that must see no failed request. The app nodes' tree is a stand-in (a shipped
 * restart.sh starting the small HTTP backend), not an assembled Zetaserver tree.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { probeSandbox } from '../helpers/nodeset-sandbox/probe';
import { runScenario, scenarioValue } from '../helpers/nodeset-sandbox/sandbox';
import type { DeployStepsArgs, DeployStepsResult, StepResult } from './scenarios/deploy-steps';

const probe = probeSandbox();
const skip = probe.available ? false : probe.reason;
const APPS = ['app1', 'app2', 'app3'];

let diagnostic: (message: string) => void = () => {};

async function steps(args: DeployStepsArgs, hosts = [...APPS, 'bal'], timeoutMs = 240_000): Promise<DeployStepsResult> {
  const run = await runScenario<DeployStepsResult>({
    scenario: require.resolve('./scenarios/deploy-steps'),
    hosts,
    args,
    timeoutMs,
  });
  assert.deepEqual(run.leftovers, []);
  const value = scenarioValue(run);
  // where the time goes, for whoever reads the TAP output
  for (const step of value.steps)
    diagnostic(
      `${step.step.do} ${step.durationMs} ms: ${step.runs.map((r) => `${r.playbook} ${r.durationMs}`).join(', ')}`,
    );
  return value;
}

function noFailedRequests(step: StepResult): void {
  assert.deepEqual(step.failedRequests, [], `requests through haproxy failed during ${JSON.stringify(step.step)}`);
}

test(
  'deploy from nothing, a good rolling update (the update step once), an idempotent re-run, rollback',
  { skip },
  async () => {
    const result = await steps({
      apps: 3,
      steps: [
        { do: 'deploy', version: 'v1' },
        { do: 'deploy', version: 'v2' },
        { do: 'deploy', version: 'v2' },
        { do: 'rollback' },
      ],
    });
    const [first, update, again, back] = result.steps;
    assert.equal(first.status, 0, first.lines.join('\n'));
    assert.equal(first.release, 'r1');
    assert.deepEqual(first.current, { app1: 'r1', app2: 'r1', app3: 'r1', bal: 'r1' });
    assert.deepEqual(first.lines.slice(0, 3), ['app1: activated r1', 'app2: activated r1', 'app3: activated r1']);

    assert.equal(update.status, 0, update.lines.join('\n'));
    assert.equal(update.release, 'r2');
    assert.deepEqual(update.current, { app1: 'r2', app2: 'r2', app3: 'r2', bal: 'r2' });
    noFailedRequests(update);
    assert.ok(update.requests > 20, `the loop ran during the update (${update.requests} requests)`);
    for (const app of APPS) assert.ok(update.servedBy[`${app} r2`] > 0, `${app} r2 served during the update`);
    // the update command ran once per release, on the canary: r1 and r2, never again on the re-run
    assert.deepEqual(result.updateLog, ['r1', 'r2']);

    assert.equal(again.status, 0, again.lines.join('\n'));
    assert.deepEqual(again.lines, [
      'app1: already at r2',
      'app2: already at r2',
      'app3: already at r2',
      'bal: already at r2',
    ]);
    assert.deepEqual(
      again.runs.map((r) => r.playbook),
      ['facts'],
      'a re-run at the same release only reads the releases back',
    );
    noFailedRequests(again);
    assert.deepEqual(Object.keys(again.servedBy).sort(), ['app1 r2', 'app2 r2', 'app3 r2']);

    assert.equal(back.status, 0, back.lines.join('\n'));
    assert.deepEqual(back.lines, ['app1: rolled back to r1', 'app2: rolled back to r1', 'app3: rolled back to r1']);
    assert.deepEqual(back.current, { app1: 'r1', app2: 'r1', app3: 'r1', bal: 'r2' });
    noFailedRequests(back);
  },
);

test(
  'a canary whose health check fails: the rollout stops, the canary is switched back, nothing else changed; a failed config check stops it before any switch',
  { skip },
  async () => {
    const result = await steps({
      apps: 3,
      steps: [
        { do: 'deploy', version: 'v1' },
        { do: 'deploy', version: 'v2', broken: ['app1'] },
        { do: 'deploy', version: 'v3', checkFails: ['app2'] },
      ],
    });
    const [, broken, checked] = result.steps;
    assert.equal(broken.status, 1, broken.lines.join('\n'));
    assert.equal(broken.nodes[0].node, 'app1');
    assert.equal(broken.nodes[0].state, 'rolled back');
    assert.match(broken.lines[0], /^app1: rolled back to r1/);
    assert.match(broken.lines[1], /^app2: half-deployed/);
    assert.match(broken.lines[2], /^app3: half-deployed/);
    assert.match(
      broken.lines.join('\n'),
      /app1: gate http:\/\/10\.231\.0\.11:18080\/health: no answer: \[Errno 111\] Connection refused \(for \d+ s\)/,
    );
    assert.match(broken.lines.join('\n'), /end of the log:[\s\S]*starting app1 r2 on 127\.0\.0\.1/);
    assert.match(broken.lines.join('\n'), /haproxy's view:\n\s+app1 /);
    assert.deepEqual(broken.current, { app1: 'r1', app2: 'r1', app3: 'r1', bal: 'r1' });
    noFailedRequests(broken);
    // the update command of r2 never ran: its gate failed first
    assert.deepEqual(result.updateLog, ['r1']);
    // a node's config check refuses the next release: the half-deploy stops the one run before
    // any drain or switch, every node keeps serving r1
    assert.equal(checked.status, 1, checked.lines.join('\n'));
    assert.deepEqual(
      checked.runs.map((r) => r.playbook),
      ['facts', 'deploy'],
    );
    assert.match(checked.lines.join('\n'), /^app2: failed at check/m);
    assert.match(checked.lines.join('\n'), /app2: check said:\n\s+restart\.sh: the config test failed/);
    for (const node of ['app1', 'app3', 'bal'])
      assert.match(checked.lines.join('\n'), new RegExp(`^${node}: half-deployed`, 'm'));
    assert.deepEqual(checked.current, { app1: 'r1', app2: 'r1', app3: 'r1', bal: 'r1' });
    assert.ok(
      Object.keys(checked.servedBy).every((who) => who.endsWith(' r1')),
      JSON.stringify(checked.servedBy),
    );
    noFailedRequests(checked);
  },
);

test(
  'a node unreachable at the start: a clear error, exit status 3, nothing changed; adding a node',
  { skip },
  async () => {
    const result = await steps(
      {
        apps: 2,
        steps: [
          { do: 'deploy', version: 'v1' },
          { do: 'deploy', version: 'v2', apps: 3 },
          { do: 'unreachable', host: 'app2' },
        ],
      },
      [...APPS, 'bal'],
    );
    const [first, added, down] = result.steps;
    assert.equal(first.status, 0, first.lines.join('\n'));
    assert.deepEqual(first.current, { app1: 'r1', app2: 'r1', app3: null, bal: 'r1' });
    // adding app3: every node's tree names every node, so all get r2; app3 joins after its gate
    assert.equal(added.status, 0, added.lines.join('\n'));
    assert.deepEqual(added.current, { app1: 'r2', app2: 'r2', app3: 'r2', bal: 'r2' });
    assert.ok(added.servedBy['app3 r2'] > 0, 'app3 served once added');
    noFailedRequests(added);
    assert.equal(down.status, 3, down.lines.join('\n'));
    // Ansible words it "Connection refused" or "Broken pipe" depending on when ssh noticed; it names the address
    assert.match(down.lines[1], /^app2: unreachable: .*10\.231\.0\.12/);
    assert.deepEqual(
      down.runs.map((r) => r.playbook),
      ['facts'],
    );
    assert.deepEqual(down.current, added.current);
    noFailedRequests(down);
  },
);
