/**
 * Runs `nodeset deploy` / `nodeset rollback` (the product's code: generated inventory, ansible.cfg
 * and playbooks, real ansible-playbook) against sandbox hosts app1..appN and bal, with a real
 * haproxy on bal in front of the app nodes. The app nodes' tree is a stand-in: the shipped source
 * holds restart.sh, which (re)starts the small HTTP backend bound to the node's address, as
 * generation = the release it runs from; a source with a BROKEN file binds loopback only, so the
 * gate from the balancer fails. A request loop through haproxy runs from the first good release on.
 */
import { mkdirSync, readFileSync, readlinkSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../../helpers/paths';
import { modelNodeset } from '../../helpers/nodeset-model';
import { execInHost, stopSshd } from '../../helpers/nodeset-sandbox/hosts';
import { exec } from '../../helpers/nodeset-sandbox/exec';
import { sshOptions } from '../../helpers/nodeset-sandbox/ssh';
import { failed, RequestLoop } from '../../helpers/nodeset-sandbox/request-loop';
import type { Scenario, ScenarioContext } from '../../helpers/nodeset-sandbox/scenario';
import { waitFor } from '../../helpers/wait';
import { defaultSettings } from '../../../src/nodeset/ansible/settings';
import { deploy } from '../../../src/nodeset/deploy/deploy';
import { rollback } from '../../../src/nodeset/deploy/rollback';
import { nodesetStatus, type NodesetStatus } from '../../../src/nodeset/deploy/status';
import { summary, type DeployReport } from '../../../src/nodeset/deploy/outcome';
import type { DeployHooks } from '../../../src/nodeset/deploy/hooks';
import type { Nodeset } from '../../../src/nodeset/model';

const APP_PORT = 18080;
const FRONT_PORT = 18000;

export type Step =
  | { do: 'deploy'; version: string; broken?: string[]; checkFails?: string[]; apps?: number }
  | { do: 'rollback' }
  | { do: 'status' }
  | { do: 'unreachable'; host: string };

export interface DeployStepsArgs {
  apps: number;
  steps: Step[];
  updateReversible?: boolean;
}

export interface StepResult {
  step: Step;
  status: number;
  release?: string;
  lines: string[];
  nodes: DeployReport['nodes'];
  runs: DeployReport['runs'];
  durationMs: number;
  /** nodeset status's answer (status steps). */
  nodesetStatus?: NodesetStatus;
  /** What each node's `current` points at after the step, read on the shared filesystem. */
  current: Record<string, string | null>;
  /** Requests through haproxy during the step (while the loop runs), and the failed ones. */
  requests: number;
  failedRequests: string[];
  /** Backend answers by "node generation" during the step. */
  servedBy: Record<string, number>;
}

export interface DeployStepsResult {
  steps: StepResult[];
  /** The update command's log: one line per run (the release it ran for). */
  updateLog: string[];
}

const RESTART = `#!/bin/bash
# stand-in for a tree's restart: stop the node's backend (bounded wait), start this release's
set -e
deploy=$1 node=$2 address=$3 script=$4
release=$(basename "$(pwd -P)")
mkdir -p "$deploy/shared/run" "$deploy/shared/log"
pidfile="$deploy/shared/run/app.pid"
if [ -f "$pidfile" ] && kill "$(cat "$pidfile")" 2>/dev/null; then
  p=$(cat "$pidfile"); n=0
  while [ -e /proc/$p ] && ! grep -q '^State:.*Z' /proc/$p/status 2>/dev/null; do
    n=$((n+1)); [ $n -le 100 ] || { echo "old backend $p did not exit" >&2; exit 1; }
    sleep 0.05
  done
fi
bind=$address; [ -e BROKEN ] && bind=127.0.0.1
echo "starting $node $release on $bind" >> "$deploy/shared/log/app.log"
setsid /usr/bin/python3 "$script" --bind "$bind" --port ${APP_PORT} --name "$node" --generation "$release" \\
  >>"$deploy/shared/log/app.log" 2>&1 </dev/null &
echo $! > "$pidfile"
`;

export function nodesetFor(ctx: ScenarioContext<unknown>, apps: number): Nodeset {
  const update = 'basename "$(pwd -P)" >> ../../shared/update-log';
  return modelNodeset(
    path.join(ctx.root, 'checkout'),
    apps,
    {
      service: false,
      updateCommand: update,
      updateReversible: (ctx.args as Partial<DeployStepsArgs> | undefined)?.updateReversible,
    },
    { sshKey: ctx.hosts.privateKey },
  );
}

export function writeSource(dir: string, version: string, broken: boolean): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'restart.sh'), RESTART, { mode: 0o755 });
  writeFileSync(path.join(dir, 'VERSION'), `${version}\n`);
  if (broken) writeFileSync(path.join(dir, 'BROKEN'), '');
}

export async function startHaproxy(ctx: ScenarioContext<unknown>, apps: number): Promise<string> {
  const bal = ctx.hosts.host('bal');
  const socket = path.join(bal.deployRoot, 'haproxy.sock');
  const cfg = path.join(bal.deployRoot, 'haproxy.cfg');
  const servers = Array.from({ length: apps }, (_, i) => ctx.hosts.host(`app${i + 1}`));
  writeFileSync(
    cfg,
    [
      'global',
      `  stats socket ${socket} mode 600 level admin`,
      `  pidfile ${path.join(bal.deployRoot, 'haproxy.pid')}`,
      'defaults',
      '  mode http',
      '  timeout connect 2s',
      '  timeout client 10s',
      '  timeout server 10s',
      '  retries 3',
      '  option redispatch',
      'frontend web',
      `  bind ${bal.address}:${FRONT_PORT}`,
      '  default_backend be',
      'backend be',
      '  balance roundrobin',
      '  option httpchk GET /health',
      '  retry-on conn-failure empty-response',
      '  default-server inter 200ms fall 2 rise 2',
      ...servers.map((h) => `  server ${h.name} ${h.address}:${APP_PORT} check`),
      '',
    ].join('\n'),
  );
  const started = await execInHost(bal, ['/usr/sbin/haproxy', '-D', '-f', cfg]);
  if (started.code !== 0) throw new Error(`haproxy did not start: ${started.stderr}`);
  await waitFor(() => existsSync(socket), { what: 'haproxy runtime socket', timeoutMs: 10_000 });
  return socket;
}

export function hooksFor(
  ctx: ScenarioContext<unknown>,
  socket: string,
  rootOf = (name: string) => ctx.hosts.host(name).deployRoot,
): DeployHooks {
  const script = path.join(ROOT, 'test/helpers/nodeset-sandbox/http-backend.py');
  return {
    haproxy: { socket, backend: 'be' },
    commands: (node) => {
      const deployRoot = rootOf(node.short);
      return {
        assemble: 'test -x restart.sh',
        check: 'bash -n restart.sh',
        restart: `./restart.sh ${deployRoot} ${node.short} ${node.address} ${script}`,
        healthUrls: [`http://${node.address}:${APP_PORT}/health`],
        haproxyServers: [node.short],
      };
    },
  };
}

function readCurrent(ctx: ScenarioContext<DeployStepsArgs>, apps: number): Record<string, string | null> {
  const names = [...Array.from({ length: apps }, (_, i) => `app${i + 1}`), 'bal'];
  return Object.fromEntries(
    names.map((name) => {
      try {
        return [name, path.basename(readlinkSync(path.join(ctx.hosts.host(name).deployRoot, 'current')))];
      } catch {
        return [name, null];
      }
    }),
  );
}

export const scenario: Scenario<DeployStepsArgs, DeployStepsResult> = async (ctx) => {
  const maxApps = Math.max(ctx.args.apps, ...ctx.args.steps.map((s) => (s.do === 'deploy' ? (s.apps ?? 0) : 0)));
  const socket = await startHaproxy(ctx, maxApps);
  const hooks = hooksFor(ctx, socket);
  const source = path.join(ctx.root, 'checkout');
  let loop: RequestLoop | undefined;
  const results: StepResult[] = [];
  let apps = ctx.args.apps;
  for (const step of ctx.args.steps) {
    if (step.do === 'deploy') apps = step.apps ?? apps;
    const nodeset = nodesetFor(ctx, apps);
    const settings = defaultSettings(nodeset, {
      knownHosts: ctx.hosts.knownHosts,
      socketDir: ctx.hosts.controlDir,
      deployRootOf: Object.fromEntries(ctx.hosts.hosts.map((h) => [h.name, h.deployRoot])),
    });
    if (step.do === 'unreachable') {
      const host = ctx.hosts.host(step.host);
      await stopSshd(host);
      // a live ControlPersist master would still carry commands: close it
      await exec(['ssh', ...sshOptions(ctx.hosts), '-O', 'exit', host.address], { timeoutMs: 5000 });
    }
    const before = loop?.samples.length ?? 0;
    const started = Date.now();
    let report: DeployReport;
    let statusAnswer: NodesetStatus | undefined;
    if (step.do === 'status') {
      statusAnswer = await nodesetStatus(nodeset, {
        settings,
        hooks,
        // the stand-in's programs: its backend, alive (a zombie is not)
        statusCommand:
          'p=$(cat ../../shared/run/app.pid 2>/dev/null) && grep -qv "^State:.*Z" /proc/$p/status && echo "backend running, pid $p"',
      });
      report = { status: statusAnswer.status as DeployReport['status'], nodes: [], runs: [], notes: [] };
    } else if (step.do === 'rollback') {
      report = await rollback(nodeset, { settings, hooks, run: { gateSeconds: 4, log: ctx.log } });
    } else {
      // an unreachable node must stop a deploy that has something to do
      writeSource(source, step.do === 'deploy' ? step.version : 'next', false);
      if (step.do === 'deploy' && (step.broken || step.checkFails)) {
        // the broken release breaks only the named nodes: BROKEN lands in their trees alone; a
        // failing check is the named nodes' own config check refusing the tree
        hooks.commands = ((base) => (node) => {
          const c = base(node);
          if (step.broken?.includes(node.short)) return { ...c, assemble: `${c.assemble} && touch BROKEN` };
          if (step.checkFails?.includes(node.short))
            return { ...c, check: `${c.check} && echo 'restart.sh: the config test failed' >&2 && false` };
          return c;
        })(hooksFor(ctx, socket).commands);
      } else hooks.commands = hooksFor(ctx, socket).commands;
      report = await deploy(nodeset, { settings, source, hooks, run: { gateSeconds: 4, log: ctx.log } });
    }
    const durationMs = Date.now() - started;
    const samples = loop ? loop.samples.slice(before) : [];
    const servedBy: Record<string, number> = {};
    for (const s of samples) {
      const who = s.body?.split(' ').slice(0, 2).join(' ');
      if (who) servedBy[who] = (servedBy[who] ?? 0) + 1;
    }
    results.push({
      step,
      status: report.status,
      release: report.release,
      lines: summary(report),
      nodes: report.nodes,
      runs: report.runs,
      durationMs,
      current: readCurrent(ctx, maxApps),
      nodesetStatus: statusAnswer,
      requests: samples.length,
      failedRequests: samples.filter(failed).map((s) => `${s.path}: ${s.status ?? s.error}`),
      servedBy,
    });
    if (!loop && report.status === 0) {
      loop = new RequestLoop({
        url: `http://10.231.0.20:${FRONT_PORT}/`,
        paths: ['/', '/slow'],
        workers: 3,
        maxRequests: 100_000,
        maxMs: 240_000,
      });
      // the loop must be seen working before the next step counts on it
      await waitFor(() => loop!.samples.length >= 10, { what: 'the request loop to get answers', timeoutMs: 10_000 });
    }
  }
  await loop?.stop();
  const logFile = path.join(ctx.hosts.host('app1').deployRoot, 'shared', 'update-log');
  const updateLog = existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n').filter(Boolean) : [];
  return { steps: results, updateLog };
};
