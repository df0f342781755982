/**
 * The agents' cross-node view on the sandbox hosts, after a deploy of the checkout's nodeset:
 * the balancer's `status --all-nodes` lists every node's programs; its /metrics answers another
 * host over HTTPS (checked against the nodeset's certificate) only with the token; then app3's
 * link is cut (a host that vanishes: packets dropped, no refusal) and the balancer shows it
 * down, with the reason, within one sampling interval, and `nodeset status` says it does not
 * answer.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { exec } from '../../helpers/nodeset-sandbox/exec';
import { execInHost } from '../../helpers/nodeset-sandbox/hosts';
import type { ScenarioContext } from '../../helpers/nodeset-sandbox/scenario';

export interface PeerSeen {
  name: string;
  up: boolean;
  reason: string | null;
  /** The node's role and release, as its agent says. */
  about: string;
  programs: string[];
  /** haproxy's view of its programs that the balancer's pool names: `instance1 UP`. */
  haproxy: string[];
  /** Its pools' least-loaded members. */
  leastLoaded: string[];
}

export interface AgentView {
  /** The balancer's `status --all-nodes --json`, before app3 is cut off. */
  before: PeerSeen[];
  /** HTTP status of the balancer's /metrics asked from app1: without, then with the token. */
  metricsWithoutToken: string;
  metricsWithToken: string;
  /** Whether the answer with the token held a zeta_program_up line of the balancer's nginx. */
  metricsHasNginx: boolean;
  /** The same view once app3 is cut off, and how long it took. */
  after: PeerSeen[];
  afterMs: number;
  /** The agents' sampling interval, ms. */
  intervalMs: number;
}

const AGENT_PORT = 9001;

function seen(json: string): PeerSeen[] {
  return JSON.parse(json).nodes.map((n: any) => ({
    name: n.name,
    up: n.up,
    reason: n.reason,
    about: `${n.role ?? '-'} ${n.release ?? '-'}`,
    programs: n.programs.map((p: any) => `${p.name} ${p.state}`),
    // haproxy's word for the state (UP, DOWN, MAINT), without a check in progress ("UP 1/2")
    haproxy: n.programs
      .filter((p: any) => p.haproxy)
      .map((p: any) => `${p.name} ${String(p.haproxy.status).split(' ')[0]}`),
    leastLoaded: (n.pools ?? []).map((pool: any) => pool.leastLoaded),
  }));
}

async function allNodes(ctx: ScenarioContext<unknown>): Promise<{ nodes: PeerSeen[]; ms: number }> {
  const current = path.join(ctx.hosts.host('bal').deployRoot, 'current');
  const started = Date.now();
  const r = await execInHost(ctx.hosts.host('bal'), [
    path.join(current, 'bin', 'supervisorctl'),
    'status',
    '--all-nodes',
    '--json',
  ]);
  const ms = Date.now() - started;
  if (r.code !== 0) throw new Error(`status --all-nodes on bal: ${r.stderr}`);
  return { nodes: seen(r.stdout), ms };
}

export async function agentView(ctx: ScenarioContext<unknown>): Promise<AgentView> {
  const bal = ctx.hosts.host('bal');
  const before = (await allNodes(ctx)).nodes;
  const shared = path.join(bal.deployRoot, 'shared');
  const token = readFileSync(path.join(bal.deployRoot, 'current', 'parts', 'supervisor', 'agent-token'), 'utf8').trim();
  const config = JSON.parse(
    readFileSync(path.join(bal.deployRoot, 'current', 'parts', 'supervisor', 'supervisor.json'), 'utf8'),
  );
  const url = `https://${bal.address}:${AGENT_PORT}/metrics`;
  const curl = (headers: string[]): Promise<{ code: string; body: string }> =>
    execInHost(ctx.hosts.host('app1'), [
      'curl',
      '-sS',
      '--max-time',
      '5',
      '--cacert',
      path.join(shared, 'agent-tls', 'agent.crt'),
      ...headers,
      '-w',
      '\n%{http_code}',
      url,
    ]).then((r) => {
      const lines = r.stdout.trimEnd().split('\n');
      return { code: lines.pop() ?? `curl exited ${r.code}: ${r.stderr}`, body: lines.join('\n') };
    });
  const without = await curl([]);
  const withToken = await curl(['-H', `Authorization: Bearer ${token}`]);
  // app3 vanishes: its veth goes down on the bridge side, so nothing answers and nothing refuses
  const cut = await exec(['ip', 'link', 'set', 'dev', ctx.hosts.host('app3').veth, 'down'], { timeoutMs: 10_000 });
  if (cut.code !== 0) throw new Error(`cutting app3 off: ${cut.stderr}`);
  const after = await allNodes(ctx);
  return {
    before,
    metricsWithoutToken: without.code,
    metricsWithToken: withToken.code,
    metricsHasNginx: /^zeta_program_up\{[^}]*program="nginx"[^}]*\} 1$/m.test(withToken.body),
    after: after.nodes,
    afterMs: after.ms,
    intervalMs: config.monitor.intervalMs,
  };
}
