/**
 * `nodeset status`: per node the release it runs and its programs (the tree's own status
 * command), and haproxy's view of each app server. Exit status 1 when a program is not running,
 * a server is not UP or a node has no release; 3 when a node does not answer.
 */
import type { Nodeset } from '../model';
import { writeControlFiles } from '../ansible/control-files';
import { taskResults } from '../ansible/run-playbook';
import type { AnsibleSettings } from '../ansible/settings';
import { DEFAULT_RUN, DeployRun } from './context';
import type { DeployHooks } from './hooks';
import { DEPLOY_EXIT } from './outcome';

export interface NodeStatus {
  node: string;
  release?: string;
  state: 'up' | 'down' | 'unreachable';
  programs: string[];
}

export interface NodesetStatus {
  status: number;
  nodes: NodeStatus[];
  /** `server status check sessions`, one per app server in the balancer's backend. */
  haproxy: string[];
}

export async function nodesetStatus(
  nodeset: Nodeset,
  options: { settings: AnsibleSettings; hooks: DeployHooks; statusCommand: string },
): Promise<NodesetStatus> {
  const run = new DeployRun(nodeset, writeControlFiles(nodeset, options.settings), options.hooks, DEFAULT_RUN);
  const result = await run.play('status', nodeset.nodes, { status_command: options.statusCommand });
  const programs = taskResults(result, 'programs');
  const nodes: NodeStatus[] = nodeset.nodes.map((n) => {
    const answer = programs[n.short];
    if (!answer || answer.unreachable || result.nodes[n.short]?.status === 'unreachable')
      return { node: n.short, state: 'unreachable', programs: [] };
    const lines = String(answer.stdout ?? '').split('\n');
    const release = /^release=(r\d+)$/.exec(lines[0] ?? '')?.[1];
    return {
      node: n.short,
      release,
      state: answer.rc === 0 && release ? 'up' : 'down',
      programs: lines.slice(1).filter(Boolean),
    };
  });
  const view = Object.values(taskResults(result, 'haproxy view')).find((r) => !r.skipped && r.stdout !== undefined);
  const haproxy = String(view?.stdout ?? '')
    .split('\n')
    .filter(Boolean);
  const serversDown = haproxy.some((line) => !line.split(' ')[1]?.startsWith('UP'));
  const status = nodes.some((n) => n.state === 'unreachable')
    ? DEPLOY_EXIT.unreachable
    : nodes.some((n) => n.state === 'down') || serversDown
      ? DEPLOY_EXIT.failed
      : DEPLOY_EXIT.done;
  return { status, nodes, haproxy };
}
