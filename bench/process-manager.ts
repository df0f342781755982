/**
 * Benchmark (not a test): the example stack's cold start through the process manager, beside the
 * same programs started by a plain script, in interleaved rounds (the machine is noisy), medians.
 *
 * Per round:
 * - pm2: `bin/supervisord` (with ZETA_TRACE=1, see programs/process-manager/trace.ts) while the front
 *   URL is polled from the moment it is spawned: the time to the first 200 through nginx, the
 *   time until supervisord exits (every program ready, the panel up), its trace split into node
 *   start-up, pm2's daemon and the priority groups, then `bin/supervisorctl shutdown`;
 * - script: the declared programs started directly in priority order behind the same readiness
 *   checks (test/helpers/stack-runner.ts), the first 200 through nginx, then stopped;
 * - own: each daemon started alone, one after the other, until its readiness check passes: the
 *   sum of the daemons' own start times.
 *
 * Without arguments it assembles a copy of the repository's deployment.cfg with free ports;
 * `--deployment DIR --url URL` times an already assembled deployment instead (pm2 rounds only).
 * `--baseline ROOT` also assembles the same deployment.cfg with another built checkout of
 * Zetaserver (its bin/assemble, so its process manager) and interleaves its pm2 rounds: a
 * before/after comparison on the same machine at the same time.
 *
 *     node dist/bench/process-manager.js [--rounds 5] [--baseline /path/to/other/checkout]
 *     node dist/bench/process-manager.js [--rounds 5] --deployment DIR --url URL
 */
import { spawn, spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { readFileSync, rmSync } from 'node:fs';
import { median, table } from './timing';
import { exampleDeployment, type ExampleDeployment } from '../test/helpers/example-deployment';
import { StackRunner } from '../test/helpers/stack-runner';

interface PmRound {
  answer: number;
  exit: number;
  shutdown: number;
  trace: Map<string, number>;
}

function answersOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 1000, headers: { host: 'localhost' } }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    request.on('error', () => resolve(false));
    request.on('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

/** Polls the URL every 10 ms from now on; resolves with the ms until the first 200 (bounded). */
async function firstAnswer(url: string, since: number, timeoutMs = 30_000): Promise<number> {
  while (Date.now() - since < timeoutMs) {
    if (await answersOk(url)) return Date.now() - since;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

function runAsync(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(file, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stderr });
    });
  });
}

/** `trace N ms STEP` lines: the first time each step was reached. */
function traceSteps(stderr: string): Map<string, number> {
  const steps = new Map<string, number>();
  for (const m of stderr.matchAll(/^trace (\d+) ms (.+)$/gm)) {
    const step = m[2].replace(/ \(pid \d+\)$/, '');
    if (!steps.has(step)) steps.set(step, Number(m[1]));
  }
  return steps;
}

async function pm2Round(dir: string, url: string | undefined): Promise<PmRound> {
  const bin = (name: string): string => path.join(dir, 'bin', name);
  const since = Date.now();
  const running = runAsync(bin('supervisord'), [], { ...process.env, ZETA_TRACE: '1' });
  const answered = url ? firstAnswer(url, since) : Promise.resolve(Number.NaN);
  const result = await running;
  const exit = Date.now() - since;
  if (result.status !== 0) throw new Error(`bin/supervisord failed (${result.status}):\n${result.stderr}`);
  const answer = await answered;
  const stopped = Date.now();
  const shutdown = spawnSync(bin('supervisorctl'), ['shutdown'], { encoding: 'utf8', timeout: 120_000 });
  if (shutdown.status !== 0) throw new Error(`shutdown failed:\n${shutdown.stderr}`);
  return { answer, exit, shutdown: Date.now() - stopped, trace: traceSteps(result.stderr) };
}

/** The same programs started directly by a script, in priority order, behind the readiness checks. */
async function scriptRound(dir: string, url: string): Promise<number> {
  const runner = new StackRunner(dir);
  const since = Date.now();
  try {
    const answered = firstAnswer(url, since);
    await runner.startAll();
    return await answered;
  } finally {
    await runner.stopAll();
  }
}

/** Each daemon alone, one after the other (kept running for the next ones), to its readiness. */
async function ownStartTimes(dir: string): Promise<Map<string, number>> {
  const runner = new StackRunner(dir);
  const times = new Map<string, number>();
  try {
    for (const spec of [...runner.specs].sort((a, b) => a.priority - b.priority))
      times.set(spec.name, await runner.start(spec.name));
  } finally {
    await runner.stopAll();
  }
  return times;
}

const seconds = (values: number[]): string[] => [
  (median(values) / 1000).toFixed(3),
  values.map((v) => (v / 1000).toFixed(2)).join(' '),
];

function between(trace: Map<string, number>, from: string, to: string): number {
  return (trace.get(to) ?? Number.NaN) - (trace.get(from) ?? Number.NaN);
}

/** A copy of the example assembled by another checkout's bin/assemble (the baseline's tools). */
async function assembleWith(root: string): Promise<ExampleDeployment> {
  const copy = await exampleDeployment('zeta-bench-pm-base-');
  const result = spawnSync(path.join(root, 'bin', 'assemble'), ['-c', 'deployment.cfg', ...copy.overrides], {
    cwd: copy.dir,
    encoding: 'utf8',
    timeout: 180_000,
  });
  if (result.status !== 0) throw new Error(`assembly with ${root} failed:\n${result.stderr}`);
  return copy;
}

function removeStack(example: ExampleDeployment): void {
  spawnSync(path.join(example.dir, 'bin', 'supervisorctl'), ['shutdown'], { timeout: 60_000 });
  try {
    const { pm2Home } = JSON.parse(
      readFileSync(path.join(example.dir, 'parts', 'supervisor', 'supervisor.json'), 'utf8'),
    ) as { pm2Home: string };
    if (pm2Home.startsWith('/tmp/zs-')) rmSync(pm2Home, { recursive: true, force: true });
  } finally {
    example.cleanup();
  }
}

function pmRows(label: string, pm: PmRound[]): string[][] {
  const rows: string[][] = [];
  if (pm.some((r) => !Number.isNaN(r.answer)))
    rows.push([`${label}bin/supervisord: first 200 through nginx`, ...seconds(pm.map((r) => r.answer))]);
  rows.push([`${label}bin/supervisord: exits (all ready, panel up)`, ...seconds(pm.map((r) => r.exit))]);
  rows.push([`${label}bin/supervisorctl shutdown (nothing left)`, ...seconds(pm.map((r) => r.shutdown))]);
  return rows;
}

export async function benchProcessManager(
  rounds: number,
  options: { deployment?: string; url?: string; baseline?: string } = {},
): Promise<string> {
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const example = options.deployment ? undefined : await exampleDeployment('zeta-bench-pm-');
  const dir = options.deployment ?? example!.dir;
  let baseline: ExampleDeployment | undefined;
  const rows = [['measure', 'median (s)', 'runs (s)']];
  const pm: PmRound[] = [];
  const before: PmRound[] = [];
  const script: number[] = [];
  const own = new Map<string, number[]>();
  const priorities = new Map<string, number>();
  try {
    let url = options.url;
    if (example) {
      const assembled = await example.assemble();
      if (assembled.status !== 0) throw new Error(`assembly failed:\n${assembled.stderr}`);
      url = `http://127.0.0.1:${example.ports.http}/`;
      for (const spec of new StackRunner(dir).specs) priorities.set(spec.name, spec.priority);
    }
    if (options.baseline) baseline = await assembleWith(options.baseline);
    spawnSync(path.join(dir, 'bin', 'supervisorctl'), ['shutdown'], { timeout: 60_000 });
    for (let round = 0; round < rounds; round++) {
      if (baseline) before.push(await pm2Round(baseline.dir, `http://127.0.0.1:${baseline.ports.http}/`));
      pm.push(await pm2Round(dir, url));
      if (!example) continue;
      script.push(await scriptRound(dir, url!));
      for (const [name, ms] of await ownStartTimes(dir)) own.set(name, [...(own.get(name) ?? []), ms]);
    }
  } finally {
    if (example) removeStack(example);
    else spawnSync(path.join(dir, 'bin', 'supervisorctl'), ['shutdown'], { timeout: 60_000 });
    if (baseline) removeStack(baseline);
  }
  if (before.length) rows.push(...pmRows(`baseline (${options.baseline}): `, before));
  rows.push(...pmRows('', pm));
  const split: Array<[string, string, string]> = [
    ['  node start-up and modules', '', 'modules loaded'],
    ['  checks (commands, ports)', 'modules loaded', 'checks done'],
    ['  pm2 daemon spawned and connected', 'checks done', 'pm2 daemon connected'],
    ['  programs launched to all ready', 'pm2 daemon connected', 'programs ready'],
    ['  then the agent (panel)', 'programs ready', 'agent ready'],
  ];
  for (const [label, from, to] of split)
    rows.push([
      label,
      ...seconds(pm.map((r) => (from ? between(r.trace, from, to) : (r.trace.get(to) ?? Number.NaN)))),
    ]);
  if (script.length) rows.push(['script (no pm2), same order and gates: first 200', ...seconds(script)]);
  if (own.size) {
    const sums = Array.from({ length: script.length }, (_, i) =>
      [...own.values()].reduce((sum, runs) => sum + runs[i], 0),
    );
    rows.push(["sum of the daemons' own start times", ...seconds(sums)]);
    // what an ordered start cannot go below: per priority group its slowest daemon, added up
    const floor = Array.from({ length: script.length }, (_, i) => {
      const slowest = new Map<number, number>();
      for (const [name, runs] of own)
        slowest.set(priorities.get(name)!, Math.max(slowest.get(priorities.get(name)!) ?? 0, runs[i]));
      return [...slowest.values()].reduce((sum, ms) => sum + ms, 0);
    });
    rows.push(['  the same, slowest per priority group only', ...seconds(floor)]);
    for (const [name, runs] of own) rows.push([`  ${name}`, ...seconds(runs)]);
  }
  return (
    `${rounds} interleaved rounds; load average before: ${loadBefore}; nproc ` +
    `${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()}\n${table(rows)}`
  );
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  benchProcessManager(Number(option('--rounds') ?? 5), {
    deployment: option('--deployment'),
    url: option('--url'),
    baseline: option('--baseline'),
  }).then(
    (text) => console.log(text),
    (error: Error) => {
      console.error(error.message);
      process.exit(1);
    },
  );
}
