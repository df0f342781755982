/**
 * Why a gate failed, in the words an operator needs: the HTTP status and the start of the body
 * from the balancer's side, the end of the node's log, and haproxy's view of the node's servers.
 */
import type { NodesetNode } from '../model';
import { taskResults, type PlaybookRun, type TaskResult } from '../ansible/run-playbook';
import type { DeployRun } from './context';

function gateItems(result: TaskResult): TaskResult[] {
  return (result.results ?? [result]).filter((item) => item.failed);
}

export async function explainFailure(run: DeployRun, failed: PlaybookRun, nodes: NodesetNode[]): Promise<string[]> {
  const notes: string[] = [];
  const gates = taskResults(failed, 'gate');
  const bad = nodes.filter((n) => failed.nodes[n.short]?.status === 'failed');
  for (const node of bad) {
    const gate = gates[node.short];
    if (!gate) continue;
    for (const item of gateItems(gate)) {
      const body = String(item.content ?? '')
        .slice(0, 200)
        .replace(/\s+/g, ' ');
      notes.push(
        `${node.short}: gate ${String(item.url ?? item.item ?? '')}: HTTP ${String(item.status ?? '-')} ${String(item.msg ?? '')}${body ? `; body: ${body}` : ''}`,
      );
    }
  }
  if (!bad.length) return notes;
  const looked = await run.play('inspect', bad, {});
  for (const [node, result] of Object.entries(taskResults(looked, 'log tail'))) {
    if (result.stdout) notes.push(`${node}: end of the log:\n${String(result.stdout).replace(/^/gm, '    ')}`);
  }
  for (const [, result] of Object.entries(taskResults(looked, 'haproxy view'))) {
    if (result.stdout) notes.push(`haproxy's view:\n${String(result.stdout).replace(/^/gm, '    ')}`);
  }
  return notes;
}

/** The last lines a failed command wrote (stderr, else stdout), indented; none for a task without output. */
export function failureOutput(
  failure: { stderr?: string; stdout?: string } | undefined,
  lines = 12,
): string | undefined {
  const text = (failure?.stderr?.trim() || failure?.stdout?.trim()) ?? '';
  if (!text) return undefined;
  return text
    .split('\n')
    .slice(-lines)
    .map((line) => `    ${line}`)
    .join('\n');
}
