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
import { runPlaybook, taskEnded, type AnsibleRun } from '../../helpers/nodeset-sandbox/ansible-run';
import {
  drainServer,
  enableServer,
  serverView,
  unixSocketRuntime,
  waitForServer,
  type Runtime,
  type ServerView,
} from '../../helpers/nodeset-sandbox/haproxy-runtime';
import { failed, RequestLoop, type Sample } from '../../helpers/nodeset-sandbox/request-loop';
import type { Scenario, ScenarioContext } from '../../helpers/nodeset-sandbox/scenario';
import { readFileSync } from 'node:fs';
import { waitFor } from '../../helpers/wait';

export interface DrainArgs {
  appPort: number;
  frontPort: number;
}

export interface PhaseCounts {
  requests: number;
  failed: number;
  byBackend: Record<string, number>;
  errors: string[];
}

export interface DrainResult {
  start: { kind: string; hosts: Record<string, string> };
  restart: { kind: string; hosts: Record<string, string> };
  /** Sessions app1 still had when the drain began, and how long until they were done. */
  drain: { before: ServerView; after: ServerView; ms: number };
  /** haproxy's view of app1 after the restart and its gate, still drained; then once ready and UP. */
  restarted: ServerView;
  enabled: ServerView;
  loop: { ranOut?: string; whole: PhaseCounts; whileDrained: PhaseCounts; afterEnabled: PhaseCounts };
  /**
   * app2's cycle through the Ansible module: the run, then what the loop saw after its drain task ended and after its
   * enable task ended.
   */
  module: {
    kind: string;
    hosts: Record<string, string>;
    tasks: string[];
    afterDrain: PhaseCounts;
    afterEnable: PhaseCounts;
    view: ServerView;
  };
  control: { ranOut?: string; whole: PhaseCounts };
  timings: Record<string, number>;
}

const PLAYBOOKS = path.join(ROOT, 'test', 'nodeset', 'playbooks');
const BACKEND = path.join(ROOT, 'test', 'helpers', 'nodeset-sandbox', 'http-backend.py');

function counts(samples: Sample[]): PhaseCounts {
  const byBackend: Record<string, number> = {};
  for (const s of samples)
    if (!failed(s)) {
      const [name, generation] = (s.body ?? '').split(' ');
      byBackend[`${name} ${generation}`] = (byBackend[`${name} ${generation}`] ?? 0) + 1;
    }
  const bad = samples.filter(failed);
  return {
    requests: samples.length,
    failed: bad.length,
    byBackend,
    errors: [...new Set(bad.map((s) => s.error ?? `HTTP ${s.status}`))],
  };
}

const statuses = (run: AnsibleRun): Record<string, string> =>
  Object.fromEntries(
    Object.entries(run.hosts).map(([h, o]) => [h, o.failure ? `${o.status}: ${o.failure.msg}` : o.status]),
  );

type Vars = Record<string, string | number>;

async function playbook(ctx: ScenarioContext, file: string, vars: Vars, limit?: string): Promise<AnsibleRun> {
  const run = await runPlaybook(ctx.ansible, path.join(PLAYBOOKS, file), { timeoutMs: 90_000, limit, extraVars: vars });
  if (run.kind !== 'ok')
    throw new Error(`${file}: ${run.kind} ` + `${JSON.stringify(statuses(run))}\n${run.stderr.slice(-1500)}`);
  return run;
}

/** Starts the backends and haproxy through Ansible; resolves when haproxy's checks say both are UP. */
async function startPair(
  ctx: ScenarioContext,
  vars: Vars,
): Promise<{ start: AnsibleRun; runtime: Runtime & { socket: string } }> {
  const start = await playbook(ctx, 'balancer-pair.yml', { ...vars, generation: 1 });
  const runtime = unixSocketRuntime(path.join(ctx.hosts.host('bal').deployRoot, 'run', 'haproxy.sock'));
  await waitFor(
    async () => {
      try {
        return await runtime('show info');
      } catch {
        return undefined;
      }
    },
    {
      what: "haproxy's runtime socket",
      timeoutMs: 10_000,
    },
  );
  for (const server of ['app1', 'app2'])
    await waitForServer(runtime, 'be', server, 'UP', (v) => v.status === 'UP', { timeoutMs: 15_000 });
  return { start, runtime };
}

const servedAtLeast = (loop: RequestLoop, prefix: string, from: number, n: number) => (): boolean =>
  loop.samples.filter((s) => s.startedAt >= from && s.body?.startsWith(prefix)).length >= n;

/**
 * app1 through the runtime API: drain (wait for its sessions), restart as generation 2 and gate, ready, UP, serving.
 */
async function runtimeCycle(ctx: ScenarioContext, vars: Vars, runtime: Runtime, loop: RequestLoop) {
  const drainStarted = Date.now();
  const before = await serverView(runtime, 'be', 'app1');
  const after = await drainServer(runtime, 'be', 'app1', { timeoutMs: 10_000 });
  const drained = Date.now();
  const restart = await playbook(ctx, 'restart-backend.yml', { ...vars, generation: 2 }, 'app1');
  const restarted = await serverView(runtime, 'be', 'app1');
  const enabling = Date.now();
  const enabled = await enableServer(runtime, 'be', 'app1', { timeoutMs: 15_000 });
  await waitFor(servedAtLeast(loop, 'app1 2 ', enabling, 20), {
    what: 'the new app1 to serve 20 requests through haproxy',
    timeoutMs: 15_000,
  });
  return { restart, before, after, drainMs: drained - drainStarted, drained, restarted, enabling, enabled };
}

/** app2 through community.general.haproxy: the same cycle as one playbook; when its drain and enable tasks ended. */
async function moduleCycle(ctx: ScenarioContext, vars: Vars, runtime: Runtime & { socket: string }, loop: RequestLoop) {
  const cycle = await playbook(
    ctx,
    'haproxy-module-cycle.yml',
    { ...vars, generation: 2, haproxy_socket: runtime.socket },
    'app2',
  );
  const drainEnded = taskEnded(cycle, 'Drain in haproxy');
  const enableEnded = taskEnded(cycle, 'Enable in haproxy, wait until its check says UP');
  await waitFor(servedAtLeast(loop, 'app2 2 ', enableEnded, 20), {
    what: 'the new app2 to serve 20 requests through haproxy',
    timeoutMs: 15_000,
  });
  return { cycle, drainEnded, enableEnded, view: await serverView(runtime, 'be', 'app2') };
}

/** The control: app2 killed without a drain while a loop runs; haproxy notices only when its check fails twice. */
async function undrainedKill(ctx: ScenarioContext, url: string, runtime: Runtime): Promise<RequestLoop> {
  const control = new RequestLoop({ url, paths: ['/', '/slow', '/'], workers: 4, maxRequests: 50_000, maxMs: 30_000 });
  await waitFor(() => control.samples.some((s) => s.body?.startsWith('app2')), {
    what: 'the control loop to reach app2',
    timeoutMs: 10_000,
  });
  process.kill(
    Number(readFileSync(path.join(ctx.hosts.host('app2').deployRoot, 'run', 'backend.pid'), 'utf8')),
    'SIGKILL',
  );
  const killed = Date.now();
  await waitForServer(runtime, 'be', 'app2', 'DOWN', (v) => v.status.startsWith('DOWN'), { timeoutMs: 10_000 });
  await waitFor(() => control.samples.filter((s) => s.startedAt > killed + 1000).length > 20, {
    what: 'requests after app2 went DOWN',
    timeoutMs: 10_000,
  });
  await control.stop();
  return control;
}

export const scenario: Scenario<DrainArgs, DrainResult> = async (ctx) => {
  const vars = { backend_script: BACKEND, app_port: ctx.args.appPort, front_port: ctx.args.frontPort };
  const t0 = Date.now();
  const { start, runtime } = await startPair(ctx, vars);
  const upMs = Date.now() - t0;
  const url = `http://${ctx.hosts.host('bal').address}:${ctx.args.frontPort}`;
  const loop = new RequestLoop({ url, paths: ['/', '/slow', '/'], workers: 4, maxRequests: 50_000, maxMs: 90_000 });
  await waitFor(() => servedAtLeast(loop, 'app1 1 ', t0, 1)() && servedAtLeast(loop, 'app2 1 ', t0, 1)(), {
    what: 'both backends to serve through haproxy',
    timeoutMs: 10_000,
  });
  const one = await runtimeCycle(ctx, vars, runtime, loop);
  const two = await moduleCycle(ctx, vars, runtime, loop);
  const samples = await loop.stop();
  const control = await undrainedKill(ctx, url, runtime);
  const between = (from: number, to = Infinity): PhaseCounts =>
    counts(samples.filter((s) => s.startedAt >= from && s.startedAt < to));
  return {
    start: { kind: start.kind, hosts: statuses(start) },
    restart: { kind: one.restart.kind, hosts: statuses(one.restart) },
    drain: { before: one.before, after: one.after, ms: one.drainMs },
    restarted: one.restarted,
    enabled: one.enabled,
    loop: {
      ranOut: loop.ranOut,
      whole: counts(samples),
      whileDrained: between(one.drained, one.enabling),
      afterEnabled: between(one.enabling, two.drainEnded),
    },
    module: {
      kind: two.cycle.kind,
      hosts: statuses(two.cycle),
      tasks: two.cycle.json!.plays.flatMap((p) => p.tasks).map((t) => t.task.name),
      view: two.view,
      afterDrain: between(two.drainEnded),
      afterEnable: between(two.enableEnded),
    },
    control: { ranOut: control.ranOut, whole: counts(control.samples) },
    timings: {
      upMs,
      drainMs: one.drainMs,
      startPlaybookMs: start.durationMs,
      restartPlaybookMs: one.restart.durationMs,
      modulePlaybookMs: two.cycle.durationMs,
    },
  };
};
