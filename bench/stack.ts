/**
 * Benchmark of the example stack (not a test): requests per second and p99 latency with wrk
 * (Debian wrk) against
 *   static     nginx serving a static file (the limit on this machine: the reference),
 *   hit-http   the whole chain on a cache hit (nginx -> varnish), HTTP,
 *   hit-https  the same over HTTPS (HTTP/1.1, keep-alive),
 *   db         the chain on an uncacheable URL (nginx -> varnish -> haproxy -> instance -> MariaDB),
 *   instance   one instance directly, with as many connections as it has threads (haproxy's maxconn),
 * in interleaved rounds (the machine is noisy), printed as medians and as ratios to `static`, and
 * as CPU time per request (the stack's processes and wrk), whose ratio does not depend on what
 * else runs on the machine;
 * then the whole stack's cold start to the first answer through nginx, a few times.
 * The static file is the page the instances serve, so static and hit-http move the same bytes.
 * Beside them, the hand-made reference chain (bench/reference-chain.ts), on its own static file,
 * hit over HTTP and over HTTPS: the targets' reference figures, measured again.
 * Run: node dist/bench/stack.js [rounds] [seconds-per-run] [cold-starts]
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { exampleDeployment } from '../test/helpers/example-deployment';
import { StackRunner } from '../test/helpers/stack-runner';
import { request } from '../test/helpers/http-probe';
import { median, table } from './timing';
import { groupCpuSeconds } from './cpu';
import { startReferenceChain, type ReferenceChain } from './reference-chain';
import { freePorts } from '../test/helpers/ports';

export interface WrkResult {
  requestsPerSecond: number;
  p99Ms: number;
  errors: number;
  requests: number;
  /** wrk's own CPU seconds (user + system), from /usr/bin/time. */
  wrkCpu: number;
  /** The stack's CPU seconds during the run (filled in by the caller). */
  stackCpu?: number;
}

function milliseconds(text: string): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text.trim());
  if (!match) return Number.NaN;
  return Number(match[1]) * { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
}

/** One wrk run: 2 threads, 32 connections (unless told), keep-alive. */
export function wrk(url: string, seconds: number, host = 'localhost', connections = 32): WrkResult {
  const threads = Math.min(2, connections);
  const result = spawnSync(
    '/usr/bin/time',
    [
      '-f',
      'cpu %U %S',
      'wrk',
      `-t${threads}`,
      `-c${connections}`,
      `-d${seconds}s`,
      '--latency',
      '-H',
      `Host: ${host}`,
      url,
    ],
    { encoding: 'utf8', timeout: (seconds + 30) * 1000 },
  );
  if (result.status !== 0) throw new Error(`wrk failed: ${result.stderr || result.error}`);
  const cpu = /cpu ([\d.]+) ([\d.]+)/.exec(result.stderr);
  const requests = /(\d+) requests in/.exec(result.stdout);
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(result.stdout);
  const p99 = /^\s+99%\s+(\S+)/m.exec(result.stdout);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(result.stdout);
  const socket = /Socket errors:.*?(\d+).*?(\d+).*?(\d+).*?(\d+)/.exec(result.stdout);
  if (!rps || !p99) throw new Error(`cannot read wrk's output:\n${result.stdout}`);
  const errors = Number(non2xx?.[1] ?? 0) + (socket ? socket.slice(1).reduce((s, n) => s + Number(n), 0) : 0);
  return {
    requestsPerSecond: Number(rps[1]),
    p99Ms: milliseconds(p99[1]),
    errors,
    requests: Number(requests?.[1] ?? 0),
    wrkCpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : Number.NaN,
  };
}

/** A wrk run with the CPU the stack's process groups spent meanwhile. */
function measured(url: string, seconds: number, groups: number[], connections: number): WrkResult {
  const before = groupCpuSeconds(groups);
  const result = wrk(url, seconds, 'localhost', connections);
  return { ...result, stackCpu: groupCpuSeconds(groups) - before };
}

/** CPU microseconds (stack + wrk) per request. */
function cpuPerRequest(run: WrkResult): number {
  return (((run.stackCpu ?? 0) + run.wrkCpu) / run.requests) * 1e6;
}

async function firstAnswer(url: string, since: number, timeoutMs: number): Promise<number> {
  for (;;) {
    const answer = await request(url, { headers: { host: 'localhost' }, timeoutMs: 2000 });
    if (answer.status === 200) return answer.endedAt - since;
    if (Date.now() - since > timeoutMs) throw new Error(`no answer from ${url} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export async function benchStack(rounds = 5, seconds = 5, coldStarts = 5): Promise<string> {
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const stack = await exampleDeployment('zeta-bench-stack-');
  const runner = { current: undefined as StackRunner | undefined };
  let reference: ReferenceChain | undefined;
  try {
    const assembled = await stack.assemble('nginx:static-paths=/static/');
    if (assembled.status !== 0) throw new Error(`assembly failed:\n${assembled.stderr}`);
    const http = `http://127.0.0.1:${stack.ports.http}`;
    const https = `https://127.0.0.1:${stack.ports.https}`;
    runner.current = new StackRunner(stack.dir);
    await runner.current.startAll();
    const page = await request(`http://127.0.0.1:${stack.ports.instance1}/`);
    mkdirSync(path.join(stack.dir, 'htdocs', 'static'), { recursive: true });
    writeFileSync(path.join(stack.dir, 'htdocs', 'static', 'page.html'), page.body);
    // one instance gets as many connections as it has threads, as haproxy feeds it (maxconn):
    // beyond that waitress queues and logs a warning per request, which measures the logging
    const threads = Number(
      /threads = (\d+)/.exec(
        readFileSync(path.join(stack.dir, 'parts', 'instance1', 'etc', 'wsgi.ini'), 'utf8'),
      )?.[1] ?? 4,
    );
    // the hand-made reference chain beside ours, its varnish in front of our haproxy
    const [refHttp, refHttps, refVarnish, refAdmin] = await freePorts(4);
    reference = await startReferenceChain(
      path.join(stack.dir, 'reference-chain'),
      { http: refHttp, https: refHttps, varnish: refVarnish, varnishAdmin: refAdmin, backend: stack.ports.haproxy },
      { certificate: path.join(stack.dir, 'etc', 'nginx.crt'), key: path.join(stack.dir, 'etc', 'nginx.key') },
      page.body,
    );
    // name, URL, connections, and the static scenario its ratios are taken to
    const scenarios: Array<[string, string, number, string]> = [
      ['static', `${http}/static/page.html`, 32, 'static'],
      ['hit-http', `${http}/`, 32, 'static'],
      ['hit-https', `${https}/`, 32, 'static'],
      ['db', `${http}/db`, 32, 'static'],
      [`instance (c${threads})`, `http://127.0.0.1:${stack.ports.instance1}/`, threads, 'static'],
      ['hand static', `http://127.0.0.1:${refHttp}/static/page.html`, 32, 'hand static'],
      ['hand hit-http', `http://127.0.0.1:${refHttp}/`, 32, 'hand static'],
      ['hand hit-https', `https://127.0.0.1:${refHttps}/`, 32, 'hand static'],
    ];
    // warm-up: fills the cache, opens keep-alive connections
    for (const [, url, connections] of scenarios) wrk(url, 1, 'localhost', connections);
    const groups = [...runner.current.liveGroups(), ...reference.groups];
    const results = new Map<string, WrkResult[]>(scenarios.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const [name, url, connections] of scenarios)
        results.get(name)!.push(measured(url, seconds, groups, connections));
    }
    const rows = [
      [
        'scenario',
        'req/s (median)',
        'min..max',
        'p99 ms',
        'ratio to static',
        'CPU us/request',
        'ratio by CPU',
        'errors',
      ],
    ];
    for (const [name, , , base] of scenarios) {
      const runs = results.get(name)!;
      const rps = runs.map((r) => r.requestsPerSecond);
      const cpu = median(runs.map(cpuPerRequest));
      const baseRps = median(results.get(base)!.map((r) => r.requestsPerSecond));
      const baseCpu = median(results.get(base)!.map(cpuPerRequest));
      rows.push([
        name,
        median(rps).toFixed(0),
        `${Math.min(...rps).toFixed(0)}..${Math.max(...rps).toFixed(0)}`,
        median(runs.map((r) => r.p99Ms)).toFixed(2),
        (median(rps) / baseRps).toFixed(2),
        cpu.toFixed(0),
        (baseCpu / cpu).toFixed(2),
        String(runs.reduce((s, r) => s + r.errors, 0)),
      ]);
    }
    await reference.stop();
    reference = undefined;
    await runner.current.stopAll();
    const starts: number[] = [];
    for (let i = 0; i < coldStarts; i++) {
      runner.current = new StackRunner(stack.dir);
      const since = Date.now();
      const launched = runner.current.startAll();
      const answered = await firstAnswer(`${http}/db`, since, 30_000);
      await launched;
      starts.push(answered);
      await runner.current.stopAll();
    }
    return [
      `wrk -t2 -c32 -d${seconds}s, ${rounds} interleaved rounds, medians; ` +
        `nproc=${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()}, load before the runs ${loadBefore}`,
      table(rows),
      `targets: hit-http >= 0.60, hit-https >= 0.45 of static. "ratio by CPU": CPU time (the stack's processes ` +
        `+ wrk) per static request`,
      `over CPU time per request of the scenario: the throughput ratio of a machine with nothing else running.`,
      `"hand" rows: the hand-made reference chain (its nginx.conf and VCL verbatim, TCP to varnish), run beside ours`,
      `with our haproxy behind it, its ratios to its own static file; by hand it measured 0.52 (HTTP) and 0.39 ` +
        `(HTTPS).`,
      `cold start to the first 200 on /db through nginx (datadir initialised): median ` +
        `${median(starts).toFixed(0)} ms, runs ${starts.map((s) => s.toFixed(0)).join(', ')} ms (target < 1500 ms)`,
    ].join('\n');
  } finally {
    await reference?.stop();
    await runner.current?.stopAll();
    stack.cleanup();
  }
}

if (require.main === module) {
  const [rounds, seconds, coldStarts] = process.argv.slice(2).map(Number);
  benchStack(rounds || undefined, seconds || undefined, coldStarts || undefined).then(
    (text) => console.log(text),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
