/**
 * The rolling deploy's drain step, for real: haproxy on the balancer host in front of two small
 * HTTP backends on two app hosts, every daemon in its own host's network namespace and started
 * through Ansible. While a bounded request loop runs through haproxy, app1 is drained over the
 * runtime API (until its sessions are done), restarted as a new generation, and re-enabled once
 * haproxy's own check says UP. Then app2 goes through the same cycle driven by Ansible's own
 * community.general.haproxy module (the way a generated playbook will do it). Then, as a
 * control, app2 is killed without a drain: the loop must see that (so its zeros mean something).
 */
import * as path from 'node:path';
import { ROOT } from '../../helpers/paths';
import { runPlaybook, type AnsibleRun } from '../../helpers/nodeset-sandbox/ansible-run';
import { drainServer, enableServer, serverView, unixSocketRuntime, waitForServer, type ServerView } from '../../helpers/nodeset-sandbox/haproxy-runtime';
import { failed, RequestLoop, type Sample } from '../../helpers/nodeset-sandbox/request-loop';
import type { Scenario } from '../../helpers/nodeset-sandbox/scenario';
import { readFileSync } from 'node:fs';
import { waitFor } from '../../helpers/nodeset-sandbox/wait';

export interface DrainArgs { appPort: number; frontPort: number }

export interface PhaseCounts { requests: number; failed: number; byBackend: Record<string, number>; errors: string[] }

export interface DrainResult {
  start: { kind: string; hosts: Record<string, string> };
  restart: { kind: string; hosts: Record<string, string> };
  /** Sessions app1 still had when the drain began, and how long until they were done. */
  drain: { before: ServerView; after: ServerView; ms: number };
  /** haproxy's view of app1 after the restart and its gate, still drained; then once ready and UP. */
  restarted: ServerView;
  enabled: ServerView;
  loop: { ranOut?: string; whole: PhaseCounts; whileDrained: PhaseCounts; afterEnabled: PhaseCounts };
  /** app2's cycle through the Ansible module: the run, then what the loop saw after its drain task ended and after its enable task ended. */
  module: { kind: string; hosts: Record<string, string>; tasks: string[]; afterDrain: PhaseCounts; afterEnable: PhaseCounts; view: ServerView };
  control: { ranOut?: string; whole: PhaseCounts };
  timings: Record<string, number>;
}

const PLAYBOOKS = path.join(ROOT, 'test', 'nodeset', 'playbooks');
const BACKEND = path.join(ROOT, 'test', 'helpers', 'nodeset-sandbox', 'http-backend.py');

function counts(samples: Sample[]): PhaseCounts {
  const byBackend: Record<string, number> = {};
  for (const s of samples) if (!failed(s)) {
    const [name, generation] = (s.body ?? '').split(' ');
    byBackend[`${name} ${generation}`] = (byBackend[`${name} ${generation}`] ?? 0) + 1;
  }
  const bad = samples.filter(failed);
  return { requests: samples.length, failed: bad.length, byBackend, errors: [...new Set(bad.map((s) => s.error ?? `HTTP ${s.status}`))] };
}

const statuses = (run: AnsibleRun): Record<string, string> => Object.fromEntries(Object.entries(run.hosts).map(([h, o]) => [h, o.failure ? `${o.status}: ${o.failure.msg}` : o.status]));

export const scenario: Scenario<DrainArgs, DrainResult> = async (ctx) => {
  const bal = ctx.hosts.host('bal');
  const vars = { backend_script: BACKEND, app_port: ctx.args.appPort, front_port: ctx.args.frontPort };
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const start = await runPlaybook(ctx.ansible, path.join(PLAYBOOKS, 'balancer-pair.yml'), { timeoutMs: 60_000, extraVars: { ...vars, generation: 1 } });
  timings.startPlaybookMs = start.durationMs;
  if (start.kind !== 'ok') throw new Error(`balancer-pair.yml: ${start.kind} ${JSON.stringify(statuses(start))}\n${start.stderr.slice(-1500)}`);
  const runtime = unixSocketRuntime(path.join(bal.deployRoot, 'run', 'haproxy.sock'));
  await waitFor('haproxy\'s runtime socket', async () => { try { return await runtime('show info'); } catch { return undefined; } }, 10_000);
  for (const server of ['app1', 'app2']) await waitForServer(runtime, 'be', server, 'UP', (v) => v.status === 'UP', { timeoutMs: 15_000 });
  timings.upMs = Date.now() - t0;

  const url = `http://${bal.address}:${ctx.args.frontPort}`;
  const loop = new RequestLoop({ url, paths: ['/', '/slow', '/'], workers: 4, maxRequests: 50_000, maxMs: 90_000 });
  const served = (name: string, from: number) => () => loop.samples.some((s) => s.startedAt >= from && s.body?.startsWith(name));
  await waitFor('both backends to serve through haproxy', () => served('app1 1', t0)() && served('app2 1', t0)(), 10_000);

  const drainStarted = Date.now();
  const before = await serverView(runtime, 'be', 'app1');
  const after = await drainServer(runtime, 'be', 'app1', { timeoutMs: 10_000 });
  const drained = Date.now();
  const restart = await runPlaybook(ctx.ansible, path.join(PLAYBOOKS, 'restart-backend.yml'), { timeoutMs: 60_000, limit: 'app1', extraVars: { ...vars, generation: 2 } });
  timings.restartPlaybookMs = restart.durationMs;
  if (restart.kind !== 'ok') throw new Error(`restart-backend.yml: ${restart.kind} ${JSON.stringify(statuses(restart))}`);
  const restarted = await serverView(runtime, 'be', 'app1');
  const enabling = Date.now();
  const enabled = await enableServer(runtime, 'be', 'app1', { timeoutMs: 15_000 });
  timings.enableMs = Date.now() - enabling;
  const newServed = (name: string, from: number) => (): boolean => loop.samples.filter((s) => s.startedAt >= from && s.body?.startsWith(name)).length >= 20;
  await waitFor('the new app1 to serve 20 requests through haproxy', newServed('app1 2 ', enabling), 15_000);
  timings.drainMs = drained - drainStarted;

  const cycle = await runPlaybook(ctx.ansible, path.join(PLAYBOOKS, 'haproxy-module-cycle.yml'), {
    timeoutMs: 90_000, limit: 'app2', extraVars: { ...vars, generation: 2, haproxy_socket: runtime.socket },
  });
  timings.modulePlaybookMs = cycle.durationMs;
  if (cycle.kind !== 'ok') throw new Error(`haproxy-module-cycle.yml: ${cycle.kind} ${JSON.stringify(statuses(cycle))}\n${cycle.stderr.slice(-1500)}`);
  const tasks = cycle.json!.plays.flatMap((p) => p.tasks);
  const ended = (name: string): number => Date.parse((tasks.find((t) => t.task.name === name)!.task as unknown as { duration: { end: string } }).duration.end);
  const [drainEnded, enableEnded] = [ended('Drain in haproxy'), ended('Enable in haproxy, wait until its check says UP')];
  await waitFor('the new app2 to serve 20 requests through haproxy', newServed('app2 2 ', enableEnded), 15_000);
  const moduleView = await serverView(runtime, 'be', 'app2');
  const samples = await loop.stop();

  // control: kill app2 without draining it; haproxy notices only after its check fails twice
  const control = new RequestLoop({ url, paths: ['/', '/slow', '/'], workers: 4, maxRequests: 50_000, maxMs: 30_000 });
  await waitFor('the control loop to reach app2', () => control.samples.some((s) => s.body?.startsWith('app2')), 10_000);
  process.kill(Number(readFileSync(path.join(ctx.hosts.host('app2').deployRoot, 'run', 'backend.pid'), 'utf8')), 'SIGKILL');
  const killed = Date.now();
  await waitForServer(runtime, 'be', 'app2', 'DOWN', (v) => v.status.startsWith('DOWN'), { timeoutMs: 10_000 });
  await waitFor('requests after app2 went DOWN', () => control.samples.filter((s) => s.startedAt > killed + 1000).length > 20 || undefined, 10_000);
  const controlSamples = await control.stop();

  return {
    start: { kind: start.kind, hosts: statuses(start) },
    restart: { kind: restart.kind, hosts: statuses(restart) },
    drain: { before, after, ms: drained - drainStarted },
    restarted, enabled,
    loop: {
      ranOut: loop.ranOut, whole: counts(samples),
      whileDrained: counts(samples.filter((s) => s.startedAt >= drained && s.startedAt < enabling)),
      afterEnabled: counts(samples.filter((s) => s.startedAt >= enabling && s.startedAt < drainEnded)),
    },
    module: {
      kind: cycle.kind, hosts: statuses(cycle), tasks: tasks.map((t) => t.task.name), view: moduleView,
      afterDrain: counts(samples.filter((s) => s.startedAt > drainEnded)), afterEnable: counts(samples.filter((s) => s.startedAt > enableEnded)),
    },
    control: { ranOut: control.ranOut, whole: counts(controlSamples) },
    timings,
  };
};
