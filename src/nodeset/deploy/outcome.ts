/**
 * The per-node outcome of a deploy or rollback, its summary lines and the run's exit status:
 * 0 done, 1 deploy failed (a step failed on a node), 2 the configuration or a playbook is invalid,
 * 3 a node was unreachable (the input is fine: fix the machine or the network and run again).
 */
export type NodeState =
  'activated' | 'already' | 'half-deployed' | 'untouched' | 'rolled back' | 'failed' | 'unreachable' | 'removed';

export interface NodeOutcome {
  node: string;
  state: NodeState;
  /** The release the node runs after this run (when known). */
  release?: string;
  /** The step that failed (failed, unreachable) or why a roll back was refused. */
  step?: string;
  detail?: string;
  /** What the node's process manager did to its programs: `reloaded mysql`, `restarted instance1`. */
  actions?: string[];
}

export const DEPLOY_EXIT = { done: 0, failed: 1, invalid: 2, unreachable: 3 } as const;

export interface DeployReport {
  /** The release this run deployed (or found everywhere). */
  release?: string;
  status: (typeof DEPLOY_EXIT)[keyof typeof DEPLOY_EXIT];
  nodes: NodeOutcome[];
  /** Each playbook run: which, on which nodes, how long. */
  runs: Array<{
    playbook: string;
    nodes: string[];
    kind: string;
    durationMs: number;
    /** Wall time per task, ms (taskTimes). */
    tasks: Array<[string, number]>;
  }>;
  /** Explanations of a failure (gate status and body, the node's log, haproxy's view). */
  notes: string[];
}

/** Ansible's messages span lines; a summary line is one line. */
function oneLine(text: string | undefined): string {
  return (text ?? '').trim().replace(/\s*\n\s*/g, '; ');
}

export function summaryLine(outcome: NodeOutcome): string {
  const at = outcome.release ? ` ${outcome.release}` : '';
  switch (outcome.state) {
    case 'already':
      return `${outcome.node}: already at${at}`;
    case 'activated':
      return `${outcome.node}: activated${at}${outcome.actions?.length ? ` (${outcome.actions.join(', ')})` : ''}`;
    case 'half-deployed':
      return `${outcome.node}: half-deployed (still serving${at})`;
    case 'untouched':
      return `${outcome.node}: untouched${at ? ` (at${at})` : ''}`;
    case 'rolled back':
      return `${outcome.node}: rolled back to${at}`;
    case 'failed':
      return `${outcome.node}: failed at ${outcome.step}${outcome.detail ? `: ${oneLine(outcome.detail)}` : ''}`;
    case 'unreachable':
      return `${outcome.node}: unreachable${outcome.detail ? `: ${oneLine(outcome.detail)}` : ''}`;
    case 'removed':
      return `${outcome.node}: removed from the nodeset: drained in haproxy, stopped`;
  }
}

export function summary(report: DeployReport): string[] {
  return [...report.nodes.map(summaryLine), ...report.notes];
}
