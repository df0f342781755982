/**
 * Benchmark of the front door (not a test). Two copies of the example run side by side:
 *   door     the example as it is: its nginx is the front door (front-door = on: the routes, the
 *            parked default_server on HTTP and HTTPS, TLS per domain by SNI, the JSON access log),
 *   plain    the same deployment with the front-door lines taken out of buildout.d/nginx.cfg:
 *            the nginx the example had before it was the front door.
 * In each, wrk (keep-alive, Host localhost) measures a static file and the cache hit (nginx ->
 * varnish) over HTTP and HTTPS, in interleaved rounds; the hits are printed as ratios to the
 * static file of the same tree over the same protocol, and door's figures as ratios to plain's.
 * Then the TLS handshake rate (TLS 1.3, no resumption, a new connection per handshake): the door
 * with its certificates chosen by SNI (the site, the demo route and four bin/porter routes, each
 * its own self-signed certificate) against a bare nginx serving one certificate (the site's),
 * with the same protocols, ciphers and worker count.
 * Run: node dist/bench/frontdoor.js [rounds] [seconds-per-run]
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { exampleDeployment, type ExampleDeployment } from '../test/helpers/example-deployment';
import { StackRunner } from '../test/helpers/stack-runner';
import { request } from '../test/helpers/http-probe';
import { freePort, waitForPort } from '../test/helpers/ports';
import { TLS_DIRECTIVES } from '../programs/porter/tls';
import { handshakeRate } from './tls-handshakes';
import { groupCpuSeconds } from './cpu';
import { median, table } from './timing';
import { wrk, type WrkResult } from './stack';

/** The example without its front door: the [nginx] part's options from "# the front door" on dropped. */
function withoutFrontDoor(stack: ExampleDeployment): void {
  const file = path.join(stack.dir, 'buildout.d', 'nginx.cfg');
  const text = readFileSync(file, 'utf8');
  const cut = text.indexOf('# the front door:');
  if (cut < 0) throw new Error(`${file}: no "# the front door:" line to cut at`);
  writeFileSync(file, text.slice(0, cut));
}

async function startTree(stack: ExampleDeployment, page: string | undefined): Promise<StackRunner> {
  const assembled = await stack.assemble('nginx:static-paths=/static/');
  if (assembled.status !== 0) throw new Error(`assembly of ${stack.dir} failed:\n${assembled.stderr}`);
  const runner = new StackRunner(stack.dir);
  await runner.startAll();
  const body = page ?? (await request(`http://127.0.0.1:${stack.ports.instance1}/`)).body;
  mkdirSync(path.join(stack.dir, 'htdocs', 'static'), { recursive: true });
  writeFileSync(path.join(stack.dir, 'htdocs', 'static', 'page.html'), body);
  return runner;
}

/** A bare nginx with one HTTPS server and one certificate: the handshake reference. */
async function startOneCertificateNginx(
  dir: string,
  certificate: string,
  key: string,
): Promise<{ port: number; group: number; stop: () => Promise<void> }> {
  const port = await freePort();
  mkdirSync(path.join(dir, 'logs'), { recursive: true });
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    [
      'worker_processes auto;',
      `pid ${dir}/nginx.pid;`,
      `error_log ${dir}/logs/error.log warn;`,
      'events { worker_connections 1024; }',
      'http {',
      '    access_log off;',
      `    client_body_temp_path ${dir}/temp-body;`,
      `    proxy_temp_path ${dir}/temp-proxy;`,
      `    fastcgi_temp_path ${dir}/temp-fastcgi;`,
      `    uwsgi_temp_path ${dir}/temp-uwsgi;`,
      `    scgi_temp_path ${dir}/temp-scgi;`,
      ...TLS_DIRECTIVES.map((line) => `    ${line}`),
      '    server {',
      `        listen 127.0.0.1:${port} ssl;`,
      `        ssl_certificate ${certificate};`,
      `        ssl_certificate_key ${key};`,
      '        return 200 "ok\\n";',
      '    }',
      '}',
      '',
    ].join('\n'),
  );
  const child = spawn('nginx', ['-p', dir, '-c', conf, '-e', `${dir}/logs/error.log`, '-g', 'daemon off;'], {
    stdio: 'ignore',
    detached: true,
  });
  await waitForPort(port);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const stop = async (): Promise<void> => {
    process.kill(child.pid!, 'SIGQUIT');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  };
  return { port, group: child.pid!, stop };
}

/** A wrk run with the CPU the tree's process groups spent meanwhile. */
function measured(url: string, seconds: number, runner: StackRunner): WrkResult {
  const groups = [...runner.running.values()].map((r) => r.pid);
  const before = groupCpuSeconds(groups);
  const result = wrk(url, seconds);
  return { ...result, stackCpu: groupCpuSeconds(groups) - before };
}

/** CPU microseconds (the tree's daemons + wrk) per request, median over the runs. */
function cpuPerRequest(runs: WrkResult[]): number {
  return median(runs.map((r) => (((r.stackCpu ?? 0) + r.wrkCpu) / r.requests) * 1e6));
}

function row(name: string, runs: WrkResult[], base: WrkResult[], other?: WrkResult[]): string[] {
  const rps = median(runs.map((r) => r.requestsPerSecond));
  const baseRps = median(base.map((r) => r.requestsPerSecond));
  const otherRps = other ? median(other.map((r) => r.requestsPerSecond)) : Number.NaN;
  return [
    name,
    rps.toFixed(0),
    median(runs.map((r) => r.p99Ms)).toFixed(2),
    (rps / baseRps).toFixed(2),
    other ? (rps / otherRps).toFixed(2) : '',
    cpuPerRequest(runs).toFixed(0),
    (cpuPerRequest(base) / cpuPerRequest(runs)).toFixed(2),
    other ? (cpuPerRequest(other) / cpuPerRequest(runs)).toFixed(2) : '',
    String(runs.reduce((s, r) => s + r.errors, 0)),
  ];
}

export async function benchFrontDoor(rounds = 3, seconds = 5): Promise<string> {
  const loadBefore = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  const door = await exampleDeployment('zeta-bench-door-');
  const plain = await exampleDeployment('zeta-bench-plain-');
  const runners: StackRunner[] = [];
  let stopReference: (() => Promise<void>) | undefined;
  try {
    withoutFrontDoor(plain);
    runners.push(await startTree(door, undefined));
    const page = readFileSync(path.join(door.dir, 'htdocs', 'static', 'page.html'), 'utf8');
    runners.push(await startTree(plain, page));
    // four more routes, each with its own self-signed certificate, for the SNI handshakes
    const sniNames = ['localhost', 'demo.localhost'];
    for (let i = 1; i <= 4; i++) {
      const name = `sni${i}.localhost`;
      const added = spawnSync(path.join(door.dir, 'bin', 'porter'), ['add', name, `127.0.0.1:${door.ports.demo}`], {
        encoding: 'utf8',
        timeout: 60_000,
      });
      if (added.status !== 0) throw new Error(`bin/porter add ${name} failed:\n${added.stderr}`);
      sniNames.push(name);
    }
    // door and plain side by side for each scenario, so that both see the same machine load
    const scenarios: Array<[string, string, StackRunner]> = [];
    for (const [what, proto, urlPath] of [
      ['static', 'http', '/static/page.html'],
      ['hit', 'http', '/'],
      ['static', 'https', '/static/page.html'],
      ['hit', 'https', '/'],
    ])
      for (const [label, stack, runner] of [
        ['door', door, runners[0]],
        ['plain', plain, runners[1]],
      ] as const) {
        const port = proto === 'http' ? stack.ports.http : stack.ports.https;
        scenarios.push([`${label} ${what} ${proto}`, `${proto}://127.0.0.1:${port}${urlPath}`, runner]);
      }
    for (const [, url] of scenarios) wrk(url, 1); // warm-up: fills the caches
    const results = new Map<string, WrkResult[]>(scenarios.map(([name]) => [name, []]));
    for (let round = 0; round < rounds; round++)
      for (const [name, url, runner] of scenarios) results.get(name)!.push(measured(url, seconds, runner));
    const of = (name: string): WrkResult[] => results.get(name)!;
    const rows = [
      [
        'scenario',
        'req/s (median)',
        'p99 ms',
        'ratio to static',
        'door / plain',
        'CPU us/request',
        'to static by CPU',
        'door / plain by CPU',
        'errors',
      ],
    ];
    for (const proto of ['http', 'https']) {
      rows.push(
        row(
          `door static ${proto}`,
          of(`door static ${proto}`),
          of(`door static ${proto}`),
          of(`plain static ${proto}`),
        ),
      );
      rows.push(
        row(`door hit ${proto}`, of(`door hit ${proto}`), of(`door static ${proto}`), of(`plain hit ${proto}`)),
      );
      rows.push(row(`plain static ${proto}`, of(`plain static ${proto}`), of(`plain static ${proto}`)));
      rows.push(row(`plain hit ${proto}`, of(`plain hit ${proto}`), of(`plain static ${proto}`)));
    }

    // handshakes: the door by SNI over six certificates, against one certificate in a bare nginx
    const referenceDir = path.join(door.dir, 'one-certificate');
    const reference = await startOneCertificateNginx(
      referenceDir,
      path.join(door.dir, 'etc', 'nginx.crt'),
      path.join(door.dir, 'etc', 'nginx.key'),
    );
    stopReference = reference.stop;
    const referencePort = reference.port;
    const doorGroup = runners[0].running.get('nginx')!.pid;
    // per run: handshakes per second, and the server's CPU microseconds per handshake (its
    // master and workers), which does not depend on the client sharing the machine
    const measure = async (port: number, names: string[], group: number): Promise<[number, number]> => {
      const before = groupCpuSeconds([group]);
      const rate = await handshakeRate(port, names, seconds * 1000);
      if (rate.errors) throw new Error(`${rate.errors} handshakes failed on port ${port}`);
      return [rate.perSecond, ((groupCpuSeconds([group]) - before) / rate.handshakes) * 1e6];
    };
    const sni: Array<[number, number]> = [];
    const one: Array<[number, number]> = [];
    for (let round = 0; round < rounds; round++) {
      sni.push(await measure(door.ports.https, sniNames, doorGroup));
      one.push(await measure(referencePort, ['localhost'], reference.group));
    }
    const rate = (runs: Array<[number, number]>): number => median(runs.map(([r]) => r));
    const cpu = (runs: Array<[number, number]>): number => median(runs.map(([, c]) => c));
    const range = (runs: Array<[number, number]>): string =>
      `${Math.min(...runs.map(([r]) => r)).toFixed(0)}..${Math.max(...runs.map(([r]) => r)).toFixed(0)}`;
    const handshakes = table([
      ['server', 'handshakes/s (median)', 'min..max', 'ratio', 'server CPU us/handshake', 'ratio by CPU'],
      [
        `front door, SNI over ${sniNames.length} certificates`,
        rate(sni).toFixed(0),
        range(sni),
        (rate(sni) / rate(one)).toFixed(2),
        cpu(sni).toFixed(0),
        (cpu(one) / cpu(sni)).toFixed(2),
      ],
      ['nginx, one certificate', rate(one).toFixed(0), range(one), '1.00', cpu(one).toFixed(0), '1.00'],
    ]);
    return [
      `wrk -t2 -c32 -d${seconds}s, ${rounds} interleaved rounds, medians; ` +
        `nproc=${spawnSync('nproc', { encoding: 'utf8' }).stdout.trim()}, load before the runs ${loadBefore}`,
      table(rows),
      `"door / plain": the front door's figure over the same scenario in the example without front-door lines.`,
      `"by CPU": CPU time (the tree's daemons + wrk) per request, as a ratio: the throughput ratio of a machine`,
      `with nothing else running.`,
      `TLS 1.3 handshakes, a new connection each, no resumption, 16 at a time from one client process, ` +
        `${rounds} interleaved rounds of ${seconds} s:`,
      handshakes,
    ].join('\n');
  } finally {
    await stopReference?.();
    for (const runner of runners) await runner.stopAll();
    door.cleanup();
    plain.cleanup();
  }
}

if (require.main === module) {
  const [rounds, seconds] = process.argv.slice(2).map(Number);
  benchFrontDoor(rounds || undefined, seconds || undefined).then(
    (text) => console.log(text),
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
}
