/**
 * `nodeset status`: per node the release it runs and its programs (the tree's own
 * `bin/supervisorctl status --json`: state, pid, uptime, cpu, memory, restarts), and haproxy's
 * view of each app server, asked on the balancer; one table, grouped by role and node. A node
 * that does not answer is shown so, with Ansible's reason. Exit status 1 when a program is not
 * running, a server is not UP or a node has no release; 3 when a node does not answer.
 */
import type { Nodeset } from '../model';
import { backendName } from '../backends';
import { writeControlFiles } from '../ansible/control-files';
import { taskResults, type TaskResult } from '../ansible/run-playbook';
import type { AnsibleSettings } from '../ansible/settings';
import { DEFAULT_RUN, DeployRun } from './context';
import type { DeployHooks } from './hooks';
import { DEPLOY_EXIT } from './outcome';

export interface ProgramRow {
  name: string;
  state: string;
  pid: number | null;
  uptimeMs: number | null;
  cpu: number | null;
  memory: number | null;
  restarts: number;
  /** haproxy's view of this program as a server of the balancer's backend. */
  haproxy?: ServerState;
}

export interface ServerState {
  server: string;
  status: string;
  sessions: number;
}

export interface NodeStatus {
  node: string;
  role: string;
  release?: string;
  state: 'up' | 'down' | 'unreachable';
  /** Why it is down or unreachable. */
  reason?: string;
  programs: ProgramRow[];
  /** What a status command that prints no JSON said (a stand-in tree). */
  text?: string[];
}

export interface NodesetStatus {
  status: number;
  nodes: NodeStatus[];
  /** haproxy's view, one per server of the balancer's backend. */
  servers: ServerState[];
  /** The same, as balancer-side.py printed it. */
  haproxy: string[];
}

/** `app1-instance1 UP check: L7OK 0 sessions: 2 address: ...` */
function serverState(line: string): ServerState {
  const [server, status] = line.split(' ');
  return { server, status: status ?? '?', sessions: Number(/sessions: (\d+)/.exec(line)?.[1] ?? 0) };
}

function programRows(json: any): ProgramRow[] {
  return (json.programs ?? []).map((p: any) => ({
    name: p.name,
    state: p.state,
    pid: p.pid ?? null,
    uptimeMs: p.uptimeMs ?? null,
    cpu: p.cpu ?? null,
    memory: p.memory ?? null,
    restarts: p.restarts ?? 0,
  }));
}

function nodeStatus(
  answer: TaskResult | undefined,
  unreachable: string | undefined,
): Omit<NodeStatus, 'node' | 'role'> {
  if (unreachable !== undefined || !answer || answer.unreachable)
    return { state: 'unreachable', reason: (unreachable || answer?.msg || 'no answer').trim(), programs: [] };
  const [first = '', ...rest] = String(answer.stdout ?? '').split('\n');
  const release = /^release=(r\d+)$/.exec(first)?.[1];
  if (!release) return { state: 'down', reason: 'no release is current here', programs: [] };
  const body = rest.join('\n').trim();
  if (!body.startsWith('{')) {
    const text = rest.filter(Boolean);
    return {
      release,
      state: answer.rc === 0 ? 'up' : 'down',
      programs: [],
      text,
      ...(answer.rc === 0 ? {} : { reason: `the status command exited ${answer.rc}` }),
    };
  }
  let json: any;
  try {
    json = JSON.parse(body);
  } catch {
    return { release, state: 'down', reason: 'its status is not JSON', programs: [] };
  }
  const programs = programRows(json);
  const notRunning = programs.filter((p) => p.state !== 'RUNNING').map((p) => `${p.name} ${p.state}`);
  const reason = !json.supervisord
    ? 'its process manager is not running'
    : notRunning.length
      ? `not running: ${notRunning.join(', ')}`
      : undefined;
  return { release, state: reason ? 'down' : 'up', programs, ...(reason ? { reason } : {}) };
}

export async function nodesetStatus(
  nodeset: Nodeset,
  options: { settings: AnsibleSettings; hooks: DeployHooks; statusCommand: string },
): Promise<NodesetStatus> {
  const run = new DeployRun(nodeset, writeControlFiles(nodeset, options.settings), options.hooks, DEFAULT_RUN);
  const result = await run.play('status', nodeset.nodes, { status_command: options.statusCommand });
  const programs = taskResults(result, 'programs');
  const view = Object.values(taskResults(result, 'haproxy view')).find((r) => !r.skipped && r.stdout !== undefined);
  const haproxy = String(view?.stdout ?? '')
    .split('\n')
    .filter(Boolean);
  const servers = haproxy.map(serverState);
  const nodes: NodeStatus[] = nodeset.nodes.map((n) => {
    const outcome = result.nodes[n.short];
    const unreachable = outcome?.status === 'unreachable' ? (outcome.failure?.msg ?? '') : undefined;
    const status = nodeStatus(programs[n.short], unreachable);
    for (const p of status.programs) {
      const seen = servers.find((s) => s.server === backendName(n, p.name));
      if (seen) p.haproxy = seen;
    }
    return { node: n.short, role: n.role, ...status };
  });
  const serversDown = servers.some((s) => !s.status.startsWith('UP'));
  const status = nodes.some((n) => n.state === 'unreachable')
    ? DEPLOY_EXIT.unreachable
    : nodes.some((n) => n.state === 'down') || serversDown
      ? DEPLOY_EXIT.failed
      : DEPLOY_EXIT.done;
  return { status, nodes, servers, haproxy };
}
