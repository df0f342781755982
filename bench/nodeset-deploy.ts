/**
 * Benchmark: `nodeset deploy` (the product's code and playbooks: read back, half-deploy, canary,
 * batches with drain and enable in haproxy, balancer, cleanup) beside the minimal hand-written
 * playbook (bench/nodeset-reference.yml: ship + switch + restart + health check, serial 1) on the
 * same sandbox hosts in the same run, interleaved, each from cold ssh connections. The nodeset
 * deploy rolls 2, 3 and 4 app nodes + the balancer (the cost of each added node); the reference
 * 3 app hosts. A request loop through haproxy gives the request rate during the nodeset deploy
 * against the rate just before it. The app nodes' tree is the test suite's stand-in (restart.sh
 * starting a small HTTP backend), so both sides ship and restart alike small things.
 *   node dist/bench/nodeset-deploy.js [rounds]
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runPlaybook as runReference } from '../test/helpers/nodeset-sandbox/ansible-run';
import { exec } from '../test/helpers/nodeset-sandbox/exec';
import { probeSandbox } from '../test/helpers/nodeset-sandbox/probe';
import { RequestLoop } from '../test/helpers/nodeset-sandbox/request-loop';
import { runScenario, scenarioValue } from '../test/helpers/nodeset-sandbox/sandbox';
import type { Scenario, ScenarioContext } from '../test/helpers/nodeset-sandbox/scenario';
import { sshOptions } from '../test/helpers/nodeset-sandbox/ssh';
import { hooksFor, nodesetFor, startHaproxy, writeSource } from '../test/nodeset/scenarios/deploy-steps';
import { defaultSettings } from '../src/nodeset/ansible/settings';
import { deploy } from '../src/nodeset/deploy/deploy';
import { median, table } from './timing';

const REFERENCE = path.resolve(__dirname, '..', '..', 'bench', 'nodeset-reference.yml');
const SIZES = [2, 3, 4];

interface Measures {
  reference: number[];
  deploys: Record<string, number[]>;
  /** Requests per second through haproxy: the 3 s before each 3-node deploy, and during it. */
  rateBefore: number[];
  rateDuring: number[];
  failed: number;
  /** Per playbook, ms, and its tasks' wall times, of the last 3-node deploy. */
  playbooks: Array<[string, number, Array<[string, number]>]>;
}

async function closeMasters(ctx: ScenarioContext): Promise<void> {
  await Promise.all(
    ctx.hosts.hosts.map((h) =>
      exec(['ssh', ...sshOptions(ctx.hosts), '-O', 'exit', '-l', 'root', h.address], { timeoutMs: 5000 }),
    ),
  );
}

export const scenario: Scenario<{ rounds: number }, Measures> = async (ctx) => {
  // the nodeset deploy lives beside the reference's releases, not on top of them
  const rootOf = (name: string): string => path.join(ctx.hosts.host(name).deployRoot, 'nodeset');
  const socket = await startHaproxy(ctx, 4);
  const hooks = hooksFor(ctx, socket, rootOf);
  const source = path.join(ctx.root, 'checkout');
  let version = 0;
  const nodesetDeploy = async (apps: number): Promise<{ ms: number; playbooks: Measures['playbooks'] }> => {
    const nodeset = nodesetFor(ctx, apps);
    const settings = defaultSettings(nodeset, {
      knownHosts: ctx.hosts.knownHosts,
      socketDir: ctx.hosts.controlDir,
      deployRootOf: Object.fromEntries(ctx.hosts.hosts.map((h) => [h.name, rootOf(h.name)])),
    });
    writeSource(source, `v${++version}`, false);
    const started = Date.now();
    const report = await deploy(nodeset, { settings, source, hooks, run: { gateSeconds: 4 } });
    if (report.status !== 0) throw new Error(`nodeset deploy on ${apps} app nodes: ${JSON.stringify(report.nodes)}`);
    return { ms: Date.now() - started, playbooks: report.runs.map((r) => [r.playbook, r.durationMs, r.tasks]) };
  };
  const app = path.join(ctx.root, 'reference-app');
  writeSource(app, 'reference', false);
  let refRelease = 0;
  const reference = async (): Promise<number> => {
    const id = `r${++refRelease}`;
    writeFileSync(path.join(app, 'VERSION'), `${id}\n`);
    const run = await runReference(ctx.ansible, REFERENCE, {
      timeoutMs: 120_000,
      limit: 'app1,app2,app3',
      extraVars: { release_id: id, app_src: `${app}/`, app_port: 19080 },
    });
    if (run.kind !== 'ok')
      throw new Error(`reference: ${run.kind} ${JSON.stringify(run.hosts)} ${run.stderr.slice(-800)}`);
    return run.durationMs;
  };
  await nodesetDeploy(4);
  await reference();
  const loop = new RequestLoop({
    url: 'http://10.231.0.20:18000/',
    paths: ['/'],
    workers: 2,
    maxRequests: 1_000_000,
    maxMs: 60_000 + ctx.args.rounds * 200_000,
  });
  const m: Measures = {
    reference: [],
    deploys: Object.fromEntries(SIZES.map((s) => [s, []])),
    rateBefore: [],
    rateDuring: [],
    failed: 0,
    playbooks: [],
  };
  const rate = (from: number, to: number): number =>
    loop.samples.filter((s) => s.endedAt >= from && s.endedAt < to).length / ((to - from) / 1000);
  for (let round = 0; round < ctx.args.rounds; round++) {
    await closeMasters(ctx);
    m.reference.push(await reference());
    for (const size of SIZES) {
      await closeMasters(ctx);
      const before = Date.now();
      await new Promise((resolve) => setTimeout(resolve, size === 3 ? 3000 : 0)); // the rate before: loop only
      const started = Date.now();
      const run = await nodesetDeploy(size);
      m.deploys[size].push(run.ms);
      if (size === 3) {
        m.rateBefore.push(rate(before, started));
        m.rateDuring.push(rate(started, Date.now()));
        m.playbooks = run.playbooks;
      }
    }
    ctx.log(`round ${round + 1}/${ctx.args.rounds} done`);
  }
  const samples = await loop.stop();
  m.failed = samples.filter((s) => s.error !== undefined || s.status !== 200).length;
  return m;
};

function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  return points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
}

export async function benchNodesetDeploy(rounds = 3): Promise<string> {
  const probe = probeSandbox();
  if (!probe.available) return `skipped: ${probe.reason}`;
  const run = await runScenario<Measures>({
    scenario: __filename,
    hosts: ['app1', 'app2', 'app3', 'app4', 'bal'],
    args: { rounds },
    timeoutMs: 120_000 + rounds * 200_000,
    inventory: { vars: { app_port: 19080 } },
  });
  const m = scenarioValue(run);
  if (run.leftovers.length) throw new Error(`the sandbox left: ${run.leftovers.join(', ')}`);
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const spread = (t: number[]): string =>
    `${s(median(t))} (${(Math.min(...t) / 1000).toFixed(2)}-${(Math.max(...t) / 1000).toFixed(2)})`;
  const ref = median(m.reference);
  const rows = [['what (cold ssh)', `median of ${rounds} (range)`, 'ratio to the reference']];
  rows.push(['reference: 3 app hosts, ship + switch + restart + check', spread(m.reference), '1.00']);
  for (const size of SIZES)
    rows.push([
      `nodeset deploy: ${size} app nodes + balancer`,
      spread(m.deploys[size]),
      (median(m.deploys[size]) / ref).toFixed(2),
    ]);
  return [
    table(rows),
    `each added app node: +${s(slope(SIZES.map((size) => [size, median(m.deploys[size])])))} (slope over 2-4)`,
    `requests/s through haproxy (2 workers): before ${median(m.rateBefore).toFixed(0)}, during the 3-node deploy ` +
      `${median(m.rateDuring).toFixed(0)} (ratio ${(median(m.rateDuring) / median(m.rateBefore)).toFixed(2)}); failed requests: ${m.failed}`,
    'playbooks of the last 3-node deploy (wall time per task, over its plays and batches):',
    ...m.playbooks.map(
      ([p, ms, tasks]) => `  ${p} ${s(ms)}: ${tasks.map(([t, tms]) => `${t} ${(tms / 1000).toFixed(2)}`).join(', ')}`,
    ),
  ].join('\n');
}

if (require.main === module) {
  const rounds = Number(process.argv[2] ?? 3);
  console.log('\n## Nodeset deploy beside the reference playbook (real ansible-playbook, sandbox hosts)');
  benchNodesetDeploy(rounds).then(
    (text) => console.log(text),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    },
  );
}
