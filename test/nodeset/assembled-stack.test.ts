/**
 * The checkout's nodeset, assembled and run for real on sandbox hosts (scenarios/assembled-stack.ts):
 * a deploy from nothing, a rolling update of the application that reaches the app nodes only, an
 * idempotent re-run, status, rollback; requests through the front door to MariaDB and memcached
 * must all succeed from the first release on.
 */
import { test, type TestContext } from 'node:test';
import * as assert from 'node:assert/strict';
import { probeSandbox } from '../helpers/nodeset-sandbox/probe';
import { runScenario, scenarioValue } from '../helpers/nodeset-sandbox/sandbox';
import type { StackArgs, StackResult, StackStepResult } from './scenarios/assembled-stack';

const probe = probeSandbox();
const skip = probe.available ? false : probe.reason;
const APPS = ['app1', 'app2', 'app3'];

function noFailedRequests(step: StackStepResult): void {
  assert.deepEqual(
    step.failedRequests,
    [],
    `requests through the front door failed during ${JSON.stringify(step.step)}`,
  );
}

/** Runs the scenario on the five hosts; the sandbox must leave nothing behind. */
async function stack(args: StackArgs, t: TestContext): Promise<StackResult> {
  const run = await runScenario<StackResult>({
    scenario: require.resolve('./scenarios/assembled-stack'),
    hosts: [...APPS, 'bal', 'db'],
    args,
    timeoutMs: 480_000,
  });
  assert.deepEqual(run.leftovers, []);
  const result = scenarioValue(run);
  for (const step of result.steps) t.diagnostic(`${step.step.do} ${step.durationMs} ms: ${step.runs.join(', ')}`);
  return result;
}

test(
  'assembled trees on five hosts: deploy, a rolling update of the app nodes only, a re-run, status, rollback',
  { skip },
  async (t) => {
    const result = await stack(
      {
        steps: [
          { do: 'deploy', version: 'v1' },
          { do: 'plan', version: 'v2' },
          { do: 'deploy', version: 'v2' },
          { do: 'deploy', version: 'v2' },
          { do: 'status' },
          { do: 'logs', grep: '' },
          { do: 'logs', grep: '', programs: ['haproxy'] },
          { do: 'rollback' },
          { do: 'agents' },
        ],
      },
      t,
    );
    const [first, planned, update, again, status, logs, haproxyLogs, back, agents] = result.steps;

    assert.equal(first.status, 0, first.lines.join('\n'));
    assert.deepEqual(first.current, { app1: 'r1', app2: 'r1', app3: 'r1', balancer: 'r1', db: 'r1' });
    assert.deepEqual(result.modes, { grants: '600', supervisor: '600' });

    // the plan: the app nodes would take r2, their instances restart for the application's code;
    // nothing changed meanwhile, and no plan tree is left behind
    t.diagnostic(planned.lines.join('\n'));
    assert.equal(planned.status, 0, planned.lines.join('\n'));
    assert.deepEqual(planned.current, first.current);
    assert.deepEqual(planned.planLeftovers, []);
    noFailedRequests(planned);
    const plans = planned.plan!.nodes;
    assert.deepEqual(
      plans.map((p) => [p.node, p.current, p.next ?? null]),
      [
        ['app1', 'r1', 'r2'],
        ['app2', 'r1', 'r2'],
        ['app3', 'r1', 'r2'],
        ['balancer', 'r1', null],
        ['db', 'r1', null],
      ],
    );
    for (const p of plans.slice(0, 3)) {
      assert.equal(p.problem, undefined);
      assert.equal(p.report!.runtime.running, true);
      const acted = p.report!.runtime.programs.filter((r) => r.action !== 'untouched').map((r) => r.program);
      assert.deepEqual(acted.sort(), ['instance1', 'instance2', 'instance3', 'instance4'], JSON.stringify(p.report));
    }
    assert.ok(planned.lines.includes('balancer: already at r1; nothing restarts'), planned.lines.join('\n'));

    // the application changed: the app nodes take r2, the balancer and the database keep r1 running
    assert.equal(update.status, 0, update.lines.join('\n'));
    assert.deepEqual(update.current, { app1: 'r2', app2: 'r2', app3: 'r2', balancer: 'r1', db: 'r1' });
    assert.deepEqual(
      update.lines.filter((l) => /^(balancer|db): /.test(l)),
      ['balancer: already at r1', 'db: already at r1'],
    );
    // each instance restarts for the application's code, and the deploy says so
    const restarts = update.lines.filter((l) => /^app\d: rolling-restart|^app\d: restart/.test(l));
    assert.equal(restarts.length, 12, update.lines.join('\n'));
    assert.ok(
      restarts.every((l) => /what it reads from the release changed \(.*stack_app\.py/.test(l)),
      restarts.join('\n'),
    );
    noFailedRequests(update);
    assert.ok(
      update.servedBy.v1 > 0 && update.servedBy.v2 > 0,
      `v1 then v2 answered: ${JSON.stringify(update.servedBy)}`,
    );
    assert.deepEqual(result.updateLog, ['r1', 'r2']);

    assert.equal(again.status, 0, again.lines.join('\n'));
    assert.deepEqual(again.runs, ['facts']);
    noFailedRequests(again);
    assert.deepEqual(Object.keys(again.servedBy), ['v2']);

    assert.equal(status.status, 0, status.lines.join('\n'));
    noFailedRequests(status);
    // one table: every node, its release, its programs running, haproxy's view of each app server
    const table = status.nodesetStatus!;
    assert.deepEqual(
      table.nodes.map((n) => [n.role, n.node, n.release, n.state]),
      [
        ['appserver', 'app1', 'r2', 'up'],
        ['appserver', 'app2', 'r2', 'up'],
        ['appserver', 'app3', 'r2', 'up'],
        ['balancer', 'balancer', 'r1', 'up'],
        ['service-mysql', 'db', 'r1', 'up'],
      ],
    );
    for (const n of table.nodes) {
      assert.ok(n.programs.length > 0 && n.programs.every((p) => p.state === 'RUNNING' && p.pid), JSON.stringify(n));
      if (n.role === 'appserver')
        assert.ok(
          n.programs.every((p) => p.haproxy?.status.startsWith('UP')),
          `${n.node}: ${JSON.stringify(n.programs)}`,
        );
    }
    assert.match(status.lines[0], /^ROLE +NODE +RELEASE +PROGRAM +STATE +PID +UPTIME +CPU +MEM +RESTARTS +HAPROXY$/);
    assert.ok(
      status.lines.some((l) => /^appserver +app2 +r2 +instance3 +RUNNING +\d+ .* UP \(\d+\)$/.test(l)),
      status.lines.join('\n'),
    );

    // every node's logs in one list, in the order the lines were written
    assert.equal(logs.status, 0, logs.lines.join('\n'));
    const lines = logs.logs!.lines;
    const nodesWithLines = [...new Set(lines.map((l) => l.node))].sort();
    t.diagnostic(
      `logs: ${lines.length} lines from ${[...new Set(lines.map((l) => `${l.node}/${l.program}`))].join(' ')}`,
    );
    assert.deepEqual(nodesWithLines, ['app1', 'app2', 'app3', 'balancer', 'db']);
    assert.ok(
      lines.every((l, i) => i === 0 || lines[i - 1].ts <= l.ts),
      'lines in time order',
    );
    // a program's lines only: the nodes that do not run it have none, and that is no error
    assert.equal(haproxyLogs.status, 0, haproxyLogs.lines.join('\n'));
    const only = haproxyLogs.logs!.lines;
    assert.ok(only.length > 0);
    assert.deepEqual([...new Set(only.map((l) => `${l.node}/${l.program}`))], ['balancer/haproxy']);

    assert.equal(back.status, 0, back.lines.join('\n'));
    assert.deepEqual(back.current, { app1: 'r1', app2: 'r1', app3: 'r1', balancer: 'r1', db: 'r1' });
    noFailedRequests(back);

    // the balancer's agent sees every node; another host reads its metrics over TLS, with the token only
    const view = agents.agents!;
    assert.deepEqual(
      view.before.map((n) => [n.name, n.up]),
      [
        ['balancer', true],
        ['app1', true],
        ['app2', true],
        ['app3', true],
        ['db', true],
      ],
    );
    assert.ok(view.before.every((n) => n.programs.length > 0 && n.programs.every((p) => p.endsWith(' RUNNING'))));
    // each node says its role and release; haproxy's view of every app server is on its program,
    // and the balancer's pool picks its least-loaded member across the nodes
    assert.deepEqual(
      view.before.map((n) => n.about),
      ['balancer r1', 'appserver r1', 'appserver r1', 'appserver r1', 'service-mysql r1'],
    );
    for (const n of view.before.slice(1, 4))
      assert.deepEqual(n.haproxy, ['instance1 UP', 'instance2 UP', 'instance3 UP', 'instance4 UP'], n.name);
    assert.match(view.before[0].leastLoaded[0] ?? '', /^app[1-3]-instance[1-4]$/);
    assert.equal(view.metricsWithoutToken, '401');
    assert.equal(view.metricsWithToken, '200');
    assert.equal(view.metricsHasNginx, true);
    // app3 vanished: down, with the reason, within one sampling interval
    const app3 = view.after.find((n) => n.name === 'app3')!;
    assert.equal(app3.up, false);
    assert.match(app3.reason ?? '', /no answer within \d+ ms/);
    assert.ok(view.afterMs < view.intervalMs, `seen in ${view.afterMs} ms; the interval is ${view.intervalMs} ms`);
    assert.ok(view.after.filter((n) => n.name !== 'app3').every((n) => n.up));
    // and nodeset status says it does not answer, with Ansible's reason
    assert.equal(agents.status, 3, agents.lines.join('\n'));
    const gone = agents.nodesetStatus!.nodes.find((n) => n.node === 'app3')!;
    assert.equal(gone.state, 'unreachable');
    assert.ok(gone.reason && gone.reason.length > 0);
    assert.ok(
      agents.lines.some((l) => l.startsWith('app3: UNREACHABLE: ')),
      agents.lines.join('\n'),
    );
    t.diagnostic(`app3 down seen by the balancer's agent in ${view.afterMs} ms (interval ${view.intervalMs} ms)`);
  },
);

test(
  'assembled trees: adding a node, a node that breaks after the canary (update-reversible = false), removing a node',
  { skip },
  async (t) => {
    const result = await stack(
      {
        updateReversible: false,
        steps: [
          { do: 'deploy', version: 'v1', apps: 2 },
          { do: 'plan', version: 'v1', apps: 3 },
          { do: 'deploy', version: 'v1', apps: 3 },
          { do: 'deploy', version: 'v2', broken: ['app2'] },
          { do: 'deploy', version: 'v3', apps: 2 },
        ],
      },
      t,
    );
    const [two, planned, added, broken, removed] = result.steps;

    assert.equal(two.status, 0, two.lines.join('\n'));
    assert.deepEqual(two.current, { app1: 'r1', app2: 'r1', app3: null, balancer: 'r1', db: 'r1' });

    // the plan of adding app3: haproxy's new servers and MariaDB's new grant as diffs (the
    // password masked), each daemon reloaded; app3 installs everything
    t.diagnostic(planned.lines.join('\n'));
    assert.equal(planned.status, 0, planned.lines.join('\n'));
    assert.deepEqual(planned.current, two.current);
    assert.deepEqual(planned.planLeftovers, []);
    noFailedRequests(planned);
    const byNode = Object.fromEntries(planned.plan!.nodes.map((p) => [p.node, p]));
    assert.equal(byNode.app3.current, undefined);
    assert.equal(byNode.app3.next, 'r2');
    assert.ok(
      byNode.app3.report!.parts.filter((p) => p.part.startsWith('instance')).every((p) => p.action === 'install'),
    );
    // its first release: the agents' pair is named where the deploy puts it, not where the plan made it
    assert.match(JSON.stringify(byNode.app3.report), /\/shared\/agent-tls\//);
    assert.doesNotMatch(JSON.stringify(byNode.app3.report), /\.nodeset\//);
    const haproxyFile = byNode.balancer.report!.files.find((f) => /\/etc\/haproxy[^/]*$/.test(f.path));
    assert.ok(haproxyFile, JSON.stringify(byNode.balancer.report!.files.map((f) => f.path)));
    assert.match(haproxyFile.path, /\/releases\/r2\//);
    assert.match(haproxyFile.diff, /^\+.*app3-instance1 10\.231\.0\.13:/m);
    const action = (node: string, program: string): string | undefined =>
      byNode[node].report!.runtime.programs.find((p) => p.program === program)?.action;
    assert.equal(action('balancer', 'haproxy'), 'reload');
    const grants = byNode.db.report!.files.find((f) => f.path.endsWith('mysql-init.sql'));
    assert.ok(grants, JSON.stringify(byNode.db.report!.files.map((f) => f.path)));
    assert.match(grants.diff, /10\.231\.0\.13/);
    assert.doesNotMatch(JSON.stringify(planned.plan), /IDENTIFIED BY 'secret'/);
    assert.equal(action('db', 'mysql'), 'reload');

    // every tree names every node: all take r2; app3 joins haproxy once its gate passed
    assert.equal(added.status, 0, added.lines.join('\n'));
    // MariaDB takes app3's grant online and haproxy its servers by a reload: no restart, no lost request
    assert.ok(added.lines.includes('db: activated r2 (reloaded mysql)'), `${added.lines.join('\n')}\n${result.dbLog}`);
    assert.ok(
      added.lines.includes('balancer: activated r2 (reloaded varnish, reloaded haproxy, reloaded nginx)'),
      added.lines.join('\n'),
    );
    assert.deepEqual(added.current, { app1: 'r2', app2: 'r2', app3: 'r2', balancer: 'r2', db: 'r2' });
    noFailedRequests(added);

    // app1 (the canary) passed and ran the update; app2's gate failed; neither may go back
    assert.equal(broken.status, 1, broken.lines.join('\n'));
    assert.match(broken.lines.join('\n'), /app2: gate http:\/\/10\.231\.0\.12:\d+\/: HTTP 500/);
    assert.match(broken.lines.join('\n'), /app1: failed at roll back: refused: the update command ran/);
    assert.match(broken.lines.join('\n'), /app3: half-deployed \(still serving r2\)/);
    assert.deepEqual(broken.current, { app1: 'r3', app2: 'r3', app3: 'r2', balancer: 'r2', db: 'r2' });
    noFailedRequests(broken);

    // app3 leaves: drained in haproxy while the balancer still had it, stopped, then forgotten
    assert.equal(removed.status, 0, removed.lines.join('\n'));
    assert.ok(
      removed.lines.includes('app3: removed from the nodeset: drained in haproxy, stopped'),
      removed.lines.join('\n'),
    );
    assert.deepEqual(removed.current, { app1: 'r4', app2: 'r4', app3: 'r2', balancer: 'r4', db: 'r4' });
    noFailedRequests(removed);
    assert.equal(result.app3Stopped, true, "app3's process manager is no longer running");
    // the canary ran the update once per release, the broken r3 included (its gate passed)
    assert.deepEqual(result.updateLog, ['r1', 'r2', 'r3', 'r4']);
  },
);
