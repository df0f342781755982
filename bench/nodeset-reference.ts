/**
 * Benchmark: the reference a nodeset deploy will be compared with (bench/nodeset-reference.yml:
 * ship + switch + restart + health check, serial 1, checked from the balancer), run with real
 * ansible-playbook against sandbox hosts (test/helpers/nodeset-sandbox/): 4 app hosts and a
 * balancer, each a network namespace with its own sshd. Each round deploys a new release to 2,
 * 3 and 4 app hosts (--limit), each once from cold ssh (no master connection) and once warm,
 * interleaved, so that machine noise hits every variant alike. Prints medians, the cost of each
 * added app host (least-squares slope over 2-4) and where the time goes (per task, summed over
 * hosts, 3 hosts warm).
 *   node dist/bench/nodeset-reference.js [rounds]      (npm run bench:nodeset)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runAdHoc, runPlaybook, type AnsibleRun } from '../test/helpers/nodeset-sandbox/ansible-run';
import { exec } from '../test/helpers/nodeset-sandbox/exec';
import { probeSandbox } from '../test/helpers/nodeset-sandbox/probe';
import { runScenario, scenarioValue } from '../test/helpers/nodeset-sandbox/sandbox';
import type { Scenario, ScenarioContext } from '../test/helpers/nodeset-sandbox/scenario';
import { sshOptions } from '../test/helpers/nodeset-sandbox/ssh';
import { median, table } from './timing';

const PLAYBOOK = path.resolve(__dirname, '..', '..', 'bench', 'nodeset-reference.yml');
const SIZES = [2, 3, 4];
const APP_PORT = 19080;

interface Measures {
  pingColdMs: number;
  /** runs[size][cold|warm] = wall times (ms) of whole ansible-playbook runs. */
  runs: Record<string, { cold: number[]; warm: number[] }>;
  /** Per task name, seconds summed over the hosts (3 app hosts, warm, the last round). */
  tasks: Record<string, number>;
}

/** The app tree the study shipped: index.html, 50 small files and one 270 KB blob (476 KB). */
function writeAppTree(dir: string): void {
  mkdirSync(path.join(dir, 'static'), { recursive: true });
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>reference</title><p>reference app</p>\n');
  for (let i = 0; i < 50; i++) writeFileSync(path.join(dir, 'static', `f${i}.txt`), `file ${i}\n`.repeat(400));
  writeFileSync(path.join(dir, 'static', 'blob.bin'), Buffer.alloc(270 * 1024, 7));
}

async function closeMasters(ctx: ScenarioContext): Promise<void> {
  await Promise.all(
    ctx.hosts.hosts.map((h) =>
      exec(['ssh', ...sshOptions(ctx.hosts), '-O', 'exit', '-l', 'root', h.address], { timeoutMs: 5000 }),
    ),
  );
}

function taskSeconds(run: AnsibleRun): Record<string, number> {
  const sums: Record<string, number> = {};
  for (const play of run.json?.plays ?? [])
    for (const task of play.tasks) {
      const d = task.task.duration;
      sums[task.task.name] = (sums[task.task.name] ?? 0) + (Date.parse(d.end) - Date.parse(d.start)) / 1000;
    }
  return sums;
}

export const scenario: Scenario<{ rounds: number }, Measures> = async (ctx) => {
  const app = path.join(ctx.root, 'app');
  writeAppTree(app);
  let release = 0;
  const deploy = async (size: number): Promise<AnsibleRun> => {
    const id = `r${++release}`;
    writeFileSync(path.join(app, 'VERSION'), `${id}\n`);
    const limit = Array.from({ length: size }, (_, i) => `app${i + 1}`).join(',');
    const run = await runPlaybook(ctx.ansible, PLAYBOOK, {
      timeoutMs: 120_000,
      limit,
      extraVars: { release_id: id, app_src: `${app}/` },
    });
    if (run.kind !== 'ok')
      throw new Error(
        `${path.basename(PLAYBOOK)} on ${limit}: ${run.kind}\n${JSON.stringify(run.hosts)}\n${run.stderr.slice(-1500)}`,
      );
    return run;
  };
  const ping = await runAdHoc(ctx.ansible, 'all', 'ansible.builtin.ping', undefined, { timeoutMs: 60_000 });
  if (ping.kind !== 'ok') throw new Error(`ping: ${ping.kind}`);
  await deploy(4); // the first release everywhere: every later run replaces a running app
  const runs: Measures['runs'] = Object.fromEntries(SIZES.map((s) => [s, { cold: [], warm: [] }]));
  let tasks: Record<string, number> = {};
  for (let round = 0; round < ctx.args.rounds; round++) {
    for (const size of SIZES) {
      await closeMasters(ctx);
      runs[size].cold.push((await deploy(size)).durationMs);
      const warm = await deploy(size);
      runs[size].warm.push(warm.durationMs);
      if (size === 3) tasks = taskSeconds(warm);
    }
    ctx.log(`round ${round + 1}/${ctx.args.rounds} done`);
  }
  return { pingColdMs: ping.durationMs, runs, tasks };
};

/** Least-squares slope of time against host count (ms per added host). */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  return points.reduce((a, [x, y]) => a + (x - mx) * (y - my), 0) / points.reduce((a, [x]) => a + (x - mx) ** 2, 0);
}

export async function benchNodesetReference(rounds = 3): Promise<string> {
  const probe = probeSandbox();
  if (!probe.available) return `skipped: ${probe.reason}`;
  const hosts = ['app1', 'app2', 'app3', 'app4', 'bal'];
  const run = await runScenario<Measures>({
    scenario: __filename,
    hosts,
    args: { rounds },
    timeoutMs: 60_000 + rounds * 240_000,
    inventory: { vars: { app_port: APP_PORT } },
  });
  const m = scenarioValue(run);
  if (run.leftovers.length) throw new Error(`the sandbox left: ${run.leftovers.join(', ')}`);
  const s = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
  const spread = (times: number[]): string =>
    `${s(median(times))} (${(Math.min(...times) / 1000).toFixed(2)}-${(Math.max(...times) / 1000).toFixed(2)})`;
  const rows = [
    ['app hosts (+ balancer)', `cold: median of ${rounds} (range)`, `warm: median of ${rounds} (range)`, 'warm / cold'],
  ];
  for (const size of SIZES) {
    const { cold, warm } = m.runs[size];
    rows.push([String(size), spread(cold), spread(warm), (median(warm) / median(cold)).toFixed(2)]);
  }
  const perHost = (kind: 'cold' | 'warm'): string => s(slope(SIZES.map((size) => [size, median(m.runs[size][kind])])));
  const three = median(m.runs[3].cold);
  return [
    `hosts up (${hosts.length} namespaces + sshd's): ${s(run.upMs ?? 0)}; ansible all -m ping (${hosts.length} ` +
      `hosts, cold): ${s(m.pingColdMs)}`,
    table(rows),
    `each added app host: +${perHost('cold')} cold, +${perHost('warm')} warm (slope over 2-4 hosts)`,
    `the reference for the nodeset feature's target (within 1.3x): 3 app hosts + balancer, cold ${s(three)} -> ` +
      `1.3x = ${s(three * 1.3)}`,
    `where the time goes (3 hosts, warm, summed over hosts): ${Object.entries(m.tasks)
      .map(([name, sec]) => `${name} ${sec.toFixed(2)} s`)
      .join('; ')}`,
  ].join('\n');
}

if (require.main === module) {
  const rounds = Number(process.argv[2] ?? 3);
  console.log(
    '\n## Nodeset reference: ship + switch + restart + health check, serial 1 (bench/nodeset-reference.yml, ' +
      'real ansible-playbook, sandbox hosts)',
  );
  benchNodesetReference(rounds).then(
    (text) => console.log(text),
    (error: Error) => {
      console.error(error.stack ?? error.message);
      process.exit(1);
    },
  );
}
