/**
 * `nodeset logs`: every node's program logs (each tree's own `supervisorctl logs --json`, over
 * current and rotated files), merged into one list by the time each line was written. A node
 * that does not answer is reported with the reason; the others' lines are still shown.
 */
import type { Nodeset, NodesetNode } from '../model';
import { writeControlFiles } from '../ansible/control-files';
import { taskResults } from '../ansible/run-playbook';
import type { AnsibleSettings } from '../ansible/settings';
import { DEFAULT_RUN, DeployRun } from './context';
import type { DeployHooks } from './hooks';
import { DEPLOY_EXIT } from './outcome';

export interface NodeLogLine {
  node: string;
  program: string;
  stream: 'stdout' | 'stderr';
  /** ms since the epoch, as the node's process manager stamped the line. */
  ts: number;
  text: string;
}

export interface NodesetLogs {
  status: number;
  lines: NodeLogLine[];
  /** Nodes whose logs could not be read, and why. */
  problems: Array<{ node: string; reason: string }>;
}

export interface LogsQuery {
  programs: string[];
  since?: string;
  grep?: string;
}

/**
 * The arguments after `logs --json`: the filters. Program names are matched here, on the
 * controller: a node that has none of them has no lines, which is not an error.
 */
export function logsArguments(query: LogsQuery): string[] {
  return [
    ...(query.since ? ['--since', query.since] : []),
    ...(query.grep !== undefined ? ['--grep', query.grep] : []),
  ];
}

export async function nodesetLogs(
  nodeset: Nodeset,
  nodes: NodesetNode[],
  options: { settings: AnsibleSettings; hooks: DeployHooks; logsCommand: string; query: LogsQuery },
): Promise<NodesetLogs> {
  const run = new DeployRun(nodeset, writeControlFiles(nodeset, options.settings), options.hooks, DEFAULT_RUN);
  const result = await run.play('logs', nodes, {
    logs_command: options.logsCommand,
    logs_args: logsArguments(options.query),
  });
  const answers = taskResults(result, 'logs');
  const lines: NodeLogLine[] = [];
  const problems: NodesetLogs['problems'] = [];
  let unreachable = false;
  const wanted = options.query.programs.length ? new Set(options.query.programs) : undefined;
  for (const node of nodes) {
    const outcome = result.nodes[node.short];
    const answer = answers[node.short];
    if (outcome?.status === 'unreachable' || !answer || answer.unreachable) {
      unreachable = true;
      problems.push({ node: node.short, reason: (outcome?.failure?.msg ?? answer?.msg ?? 'no answer').trim() });
      continue;
    }
    try {
      if (answer.rc !== 0) throw new Error((answer.stderr || answer.msg || `exit status ${answer.rc}`).trim());
      for (const line of JSON.parse(String(answer.stdout)).lines)
        if (!wanted || wanted.has(line.program)) lines.push({ node: node.short, ...line });
    } catch (error) {
      problems.push({ node: node.short, reason: (error as Error).message.split('\n')[0] });
    }
  }
  // stable: a node's lines of the same second keep their order
  lines.sort((a, b) => a.ts - b.ts);
  const status = unreachable ? DEPLOY_EXIT.unreachable : problems.length ? DEPLOY_EXIT.failed : DEPLOY_EXIT.done;
  return { status, lines, problems };
}
