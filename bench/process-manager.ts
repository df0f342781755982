/**
 * Benchmark (not a test): the time from `bin/supervisord` to every program ready (it exits only
 * then), the first answer through the front after that, and `bin/supervisorctl shutdown`, over
 * interleaved rounds, medians; printed beside what was measured by hand (../shared/notes/
 * stack.md §8). Without arguments it assembles a stack of real daemons in a temporary directory
 * (memcached, MariaDB, 4 waitress instances, haproxy, varnish, nginx, all on 127.0.0.1); with
 * `--deployment DIR [--url URL]` it times an already assembled deployment (the example stack).
 *
 *     node dist/bench/process-manager.js [--rounds 5] [--deployment DIR --url http://127.0.0.1:8000/]
 */
import { spawnSync } from 'node:child_process';
import * as http from 'node:http';
import * as path from 'node:path';
import { median, table } from './timing';
import { buildBenchStack } from './process-manager-stack';

/** By hand (stack.md §8): each daemon's own start, and the ordered start with readiness waits. */
const BY_HAND = { sumOfDaemons: 0.011 + 0.139 + 0.09 + 0.044 + 0.436 + 0.012, orderedTotal: 1.03, note: 'memcached 0.011 + mariadbd 0.139 + instances 0.09 + haproxy 0.044 + varnish 0.436 + nginx 0.012' };

function run(file: string, args: string[]): { ms: number; stderr: string } {
  const started = process.hrtime.bigint();
  const r = spawnSync(file, args, { encoding: 'utf8', timeout: 120_000 });
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (r.status !== 0) throw new Error(`${path.basename(file)} ${args.join(' ')} failed (${r.status}):\n${r.stderr}`);
  return { ms, stderr: r.stderr };
}

function firstAnswer(url: string, timeoutMs = 10_000): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      http.get(url, (res) => { res.resume(); if (res.statusCode === 200) resolve(Date.now() - started); else retry(); }).on('error', retry);
    };
    const retry = (): void => { if (Date.now() - started > timeoutMs) reject(new Error(`${url} never answered 200`)); else setTimeout(attempt, 10); };
    attempt();
  });
}

export async function benchProcessManager(rounds: number, deployment?: string, url?: string): Promise<string> {
  const stack = deployment ? { dir: deployment, url, cleanup: () => {} } : await buildBenchStack();
  const bin = (name: string): string => path.join(stack.dir, 'bin', name);
  const starts: number[] = [], answers: number[] = [], stops: number[] = [];
  const steps = new Map<string, number[]>();
  try {
    spawnSync(bin('supervisorctl'), ['shutdown'], { timeout: 60_000 });
    for (let round = 0; round < rounds; round++) {
      const start = run(bin('supervisord'), []);
      starts.push(start.ms);
      for (const m of start.stderr.matchAll(/^ready\s+(\S+)\s+([\d.]+) s/gm)) steps.set(m[1], [...(steps.get(m[1]) ?? []), Number(m[2]) * 1000]);
      if (stack.url) answers.push(await firstAnswer(stack.url));
      stops.push(run(bin('supervisorctl'), ['shutdown']).ms);
    }
  } finally {
    spawnSync(bin('supervisorctl'), ['shutdown'], { timeout: 60_000 });
    stack.cleanup();
  }
  const rows = [['measure', 'median (s)', 'runs (s)']];
  const fmt = (values: number[]): string[] => [(median(values) / 1000).toFixed(3), values.map((v) => (v / 1000).toFixed(2)).join(' ')];
  rows.push(['bin/supervisord until every program is ready', ...fmt(starts)]);
  if (answers.length) rows.push([`then first 200 from ${stack.url}`, ...fmt(answers)]);
  rows.push(['bin/supervisorctl shutdown (nothing left)', ...fmt(stops)]);
  for (const [name, values] of steps) rows.push([`  ${name}: its own readiness wait`, ...fmt(values)]);
  return `${table(rows)}
By hand (stack.md §8): daemons' own start times summed ${BY_HAND.sumOfDaemons.toFixed(3)} s (${BY_HAND.note});
ordered start with readiness waits by a script ${BY_HAND.orderedTotal.toFixed(2)} s. Ours includes spawning pm2's daemon (~0.3-0.6 s) and the agent.`;
}

if (require.main === module) {
  const argv = process.argv.slice(2);
  const option = (name: string): string | undefined => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : undefined);
  benchProcessManager(Number(option('--rounds') ?? 5), option('--deployment'), option('--url'))
    .then((text) => console.log(text), (error: Error) => { console.error(error.message); process.exit(1); });
}
