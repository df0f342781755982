/**
 * The checkout's own nodeset (nodeset.cfg over deployment.cfg) deployed by `nodeset deploy` with
 * the product's hooks on sandbox hosts app1..app3, bal (the balancer, 10.231.0.20) and db
 * (10.231.0.30): each node assembles its tree there with this checkout's bin/assemble and runs
 * it under its own bin/supervisord: nginx, varnish and haproxy on bal, MariaDB and memcached on
 * db, four instances on each app node. A request loop through the front door asks for /db and
 * /memcached (each answer went nginx -> varnish -> haproxy -> an instance -> MariaDB or
 * memcached) from the first good release on. Steps as in deploy-steps.ts; a `deploy` step's
 * version is written into the application's answers, so the loop sees which release answered.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../../helpers/paths';
import { failed, RequestLoop } from '../../helpers/nodeset-sandbox/request-loop';
import type { Scenario, ScenarioContext } from '../../helpers/nodeset-sandbox/scenario';
import { waitFor } from '../../helpers/wait';
import { execInHost } from '../../helpers/nodeset-sandbox/hosts';
import { loadNodesetConfig } from '../../../src/nodeset/load';
import { defaultSettings, deployRootOf } from '../../../src/nodeset/ansible/settings';
import { assembledTreeHooks } from '../../../src/nodeset/deploy/hooks';
import { deploy } from '../../../src/nodeset/deploy/deploy';
import { rollback } from '../../../src/nodeset/deploy/rollback';
import { nodesetStatus, type NodesetStatus } from '../../../src/nodeset/deploy/status';
import { summary, type DeployReport } from '../../../src/nodeset/deploy/outcome';
import { statusTable } from '../../../src/nodeset/deploy/status-table';
import { nodesetLogs, type NodesetLogs } from '../../../src/nodeset/deploy/logs';
import { agentView, type AgentView } from './agent-view';
import { planDeploy, type DeployPlan } from '../../../src/nodeset/deploy/plan';
import { planText } from '../../../src/commands/nodeset/plan-text';
import { paletteForTerminal } from '../../../src/util/color';

export type StackStep =
  | {
      do: 'deploy';
      version: string;
      /** App nodes in the nodeset (default 3): fewer addresses on the appserver role's line. */
      apps?: number;
      /** Nodes whose release answers 500 on / (a BROKEN file in their tree): their gate fails. */
      broken?: string[];
    }
  /** nodeset plan of this version (and app node count), changing nothing. */
  | { do: 'plan'; version: string; apps?: number }
  | { do: 'rollback' }
  | { do: 'status' }
  /** nodeset logs over every node, with this --grep (and these programs). */
  | { do: 'logs'; grep: string; programs?: string[] }
  /** The agents' view across nodes, then app3 cut off (agent-view.ts): the last step. */
  | { do: 'agents' };

export interface StackArgs {
  steps: StackStep[];
  updateReversible?: boolean;
}

export interface StackStepResult {
  step: StackStep;
  status: number;
  release?: string;
  lines: string[];
  runs: string[];
  durationMs: number;
  current: Record<string, string | null>;
  nodesetStatus?: NodesetStatus;
  logs?: NodesetLogs;
  agents?: AgentView;
  plan?: DeployPlan;
  /** Whether a releases/.plan directory was left on any node. */
  planLeftovers?: string[];
  requests: number;
  failedRequests: string[];
  /** Answers through the front door during the step, by the version in them. */
  servedBy: Record<string, number>;
}

export interface StackResult {
  steps: StackStepResult[];
  /** The update command's runs: the release each ran for, from every app node, in release order. */
  updateLog: string[];
  /** The mode of MariaDB's grants file on db, and of the process manager's config on app1. */
  modes: Record<string, string>;
  /** Whether app3's process manager had stopped at the end (its pid command said so). */
  app3Stopped: boolean;
  /** The end of db's MariaDB logs (pm2's), for a failure's message. */
  dbLog: string;
}

/** The sandbox host that plays each node of nodeset.cfg. */
const HOST_OF: Record<string, string> = { app1: 'app1', app2: 'app2', app3: 'app3', balancer: 'bal', db: 'db' };
const FRONT = 'http://10.231.0.20:8000';
const CHECKOUT = ['deployment.cfg', 'versions.cfg', 'buildout.d', 'app', 'nodeset.cfg'];

/**
 * The example checkout at `dir`, its application answering with `version`. The controller's
 * state beside it (.nodeset/: the agents' certificate) is kept, as a controller keeps it.
 */
function writeCheckout(dir: string, version: string): void {
  mkdirSync(dir, { recursive: true });
  for (const entry of CHECKOUT) {
    rmSync(path.join(dir, entry), { recursive: true, force: true });
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  const app = path.join(dir, 'app', 'stack_app.py');
  const source = readFileSync(app, 'utf8');
  const marked = source
    .replace('"%s served by %s\\n"', `"%s served by %s ${version}\\n"`)
    // a tree holding BROKEN answers 500 on / (the gate's page); /db and /memcached still work
    .replace(
      'def respond(path, headers):\n',
      'def respond(path, headers):\n' +
        '    if path == "/" and os.path.exists(os.path.join(os.environ.get("INSTANCE_HOME", ""), "..", "..", "BROKEN")):\n' +
        '        return "500 Internal Server Error", b"broken release\\n"\n',
    );
  if (!marked.includes(` ${version}\\n"`) || !marked.includes('BROKEN'))
    throw new Error('stack_app.py: the lines to mark were not found');
  writeFileSync(app, marked);
}

/** The appserver role's addresses line of the checkout's nodeset.cfg. */
function setAddresses(dir: string, addresses: string[]): void {
  const file = path.join(dir, 'nodeset.cfg');
  const text = readFileSync(file, 'utf8');
  const line = /^addresses = 10\.231\.0\.11 .*$/m;
  if (!line.test(text)) throw new Error("nodeset.cfg: the appserver role's addresses line was not found");
  writeFileSync(file, text.replace(line, `addresses = ${addresses.join(' ')}`));
}

function readCurrent(ctx: ScenarioContext<StackArgs>): Record<string, string | null> {
  return Object.fromEntries(
    Object.entries(HOST_OF).map(([node, host]) => {
      try {
        return [node, path.basename(readlinkSync(path.join(ctx.hosts.host(host).deployRoot, 'current')))];
      } catch {
        return [node, null];
      }
    }),
  );
}

function modeOf(file: string): string {
  try {
    return (statSync(file).mode & 0o777).toString(8);
  } catch {
    return 'missing';
  }
}

export const scenario: Scenario<StackArgs, StackResult> = async (ctx) => {
  // the daemons drop to unprivileged users: the per-run tree must be traversable
  for (const dir of [ctx.root, path.join(ctx.root, 'hosts'), ...ctx.hosts.hosts.map((h) => h.dir)])
    chmodSync(dir, 0o755);
  const checkout = path.join(ctx.root, 'checkout');
  const base = [
    `nodeset:ssh-key=${ctx.hosts.privateKey}`,
    // the canary's one-time step: which release it ran for, once per release
    'role.appserver:update-command=basename "$(pwd -P)" >> ../../shared/update-log',
    ...(ctx.args.updateReversible === false ? ['role.appserver:update-reversible=false'] : []),
  ];
  const appAddresses = ['10.231.0.11', '10.231.0.12', '10.231.0.13'];
  const roots = Object.fromEntries(
    Object.entries(HOST_OF).map(([node, host]) => [node, ctx.hosts.host(host).deployRoot]),
  );
  let loop: RequestLoop | undefined;
  let apps = 3;
  const results: StackStepResult[] = [];
  writeCheckout(checkout, 'v0');
  for (const step of ctx.args.steps) {
    if (step.do === 'deploy' || step.do === 'plan') writeCheckout(checkout, step.version);
    if (step.do === 'deploy' || step.do === 'plan') apps = step.apps ?? 3;
    // a node added or removed is one line of the file, as a user writes it
    if (step.do === 'deploy' || step.do === 'plan') setAddresses(checkout, appAddresses.slice(0, apps));
    const overrides = base;
    const loaded = await loadNodesetConfig(path.join(checkout, 'nodeset.cfg'), overrides);
    const settings = defaultSettings(loaded.nodeset, {
      knownHosts: ctx.hosts.knownHosts,
      socketDir: ctx.hosts.controlDir,
      deployRootOf: roots,
    });
    const hooks = assembledTreeHooks(loaded, (node) => deployRootOf(loaded.nodeset, settings, node));
    const broken = step.do === 'deploy' ? (step.broken ?? []) : [];
    const commands = hooks.commands;
    hooks.commands = (node) => {
      const c = commands(node);
      return broken.includes(node.short) ? { ...c, assemble: `${c.assemble} && touch BROKEN` } : c;
    };
    const before = loop?.samples.length ?? 0;
    const started = Date.now();
    let report: DeployReport;
    let statusAnswer: NodesetStatus | undefined;
    const run = { gateSeconds: 6, log: ctx.log };
    let logs: NodesetLogs | undefined;
    let agents: AgentView | undefined;
    const askStatus = (): Promise<NodesetStatus> =>
      nodesetStatus(loaded.nodeset, { settings, hooks, statusCommand: 'bin/supervisorctl status --json' });
    let plan: DeployPlan | undefined;
    let planLeftovers: string[] | undefined;
    if (step.do === 'plan') {
      plan = await planDeploy(loaded.nodeset, { settings, source: checkout, hooks });
      planLeftovers = Object.entries(roots)
        .filter(([, root]) => existsSync(path.join(root, 'releases', '.plan')))
        .map(([node]) => node);
      report = { status: plan.status as DeployReport['status'], nodes: [], runs: [], notes: [] };
    } else if (step.do === 'agents') {
      // app3 is about to vanish: requests haproxy sends there before its checks see it fail are lost
      await loop?.stop();
      loop = undefined;
      agents = await agentView(ctx);
      statusAnswer = await askStatus();
      report = { status: statusAnswer.status as DeployReport['status'], nodes: [], runs: [], notes: [] };
    } else if (step.do === 'logs') {
      logs = await nodesetLogs(loaded.nodeset, loaded.nodeset.nodes, {
        settings,
        hooks,
        logsCommand: 'bin/supervisorctl',
        query: { programs: step.programs ?? [], since: '1h', grep: step.grep },
      });
      report = { status: logs.status as DeployReport['status'], nodes: [], runs: [], notes: [] };
    } else if (step.do === 'status') {
      statusAnswer = await askStatus();
      report = { status: statusAnswer.status as DeployReport['status'], nodes: [], runs: [], notes: [] };
    } else if (step.do === 'rollback') report = await rollback(loaded.nodeset, { settings, hooks, run });
    else report = await deploy(loaded.nodeset, { settings, source: checkout, hooks, run });
    const durationMs = Date.now() - started;
    const samples = loop ? loop.samples.slice(before) : [];
    const servedBy: Record<string, number> = {};
    for (const s of samples) {
      const version = s.body?.match(/served by instance\d+ (v\d+)/)?.[1];
      if (version) servedBy[version] = (servedBy[version] ?? 0) + 1;
    }
    results.push({
      step,
      status: report.status,
      release: report.release,
      lines: [
        ...summary(report),
        ...(statusAnswer ? statusTable(statusAnswer) : []),
        ...(plan ? planText(plan, paletteForTerminal(false), true) : []),
        ...(logs?.problems.map((p) => `${p.node}: ${p.reason}`) ?? []),
      ],
      runs: report.runs.map((r) => r.playbook),
      durationMs,
      current: readCurrent(ctx),
      nodesetStatus: statusAnswer,
      logs,
      agents,
      plan,
      planLeftovers,
      requests: samples.length,
      failedRequests: samples
        .filter(failed)
        .map((s) => `${s.path}: ${s.status ?? s.error} ${s.body?.slice(0, 80) ?? ''}`),
      servedBy,
    });
    if (!loop && report.status === 0 && step.do !== 'agents' && step.do !== 'plan') {
      loop = new RequestLoop({
        url: FRONT,
        paths: ['/db', '/memcached'],
        headers: { Host: 'localhost' },
        workers: 3,
        maxRequests: 100_000,
        maxMs: Math.max(10_000, ctx.deadline - Date.now() - 10_000),
        requestTimeoutMs: 5000,
      });
      await waitFor(() => loop!.samples.length >= 10, { what: 'the request loop to get answers', timeoutMs: 20_000 });
    }
  }
  await loop?.stop();
  const db = ctx.hosts.host('db').deployRoot;
  const app1 = ctx.hosts.host('app1').deployRoot;
  // the canary is whichever app node goes first: every app node's log, in release order
  const updateLog = ['app1', 'app2', 'app3']
    .map((host) => path.join(ctx.hosts.host(host).deployRoot, 'shared', 'update-log'))
    .filter((file) => existsSync(file))
    .flatMap((file) => readFileSync(file, 'utf8').trim().split('\n').filter(Boolean))
    .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
  const app3 = path.join(ctx.hosts.host('app3').deployRoot, 'current');
  const pid = existsSync(app3)
    ? await execInHost(ctx.hosts.host('app3'), [path.join(app3, 'bin', 'supervisorctl'), 'pid'])
    : undefined;
  const logDir = path.join(db, 'shared', 'var', 'log');
  const tail = (file: string): string =>
    existsSync(path.join(logDir, file))
      ? readFileSync(path.join(logDir, file), 'utf8').split('\n').slice(-30).join('\n')
      : `(no ${file})`;
  return {
    steps: results,
    app3Stopped: pid?.code === 3,
    dbLog: `${tail('mysql.log')}\n${tail('mysql.err.log')}`,
    updateLog,
    modes: {
      grants: modeOf(path.join(db, 'current', 'etc', 'mysql-init.sql')),
      supervisor: modeOf(path.join(app1, 'current', 'parts', 'supervisor', 'supervisor.json')),
    },
  };
};
