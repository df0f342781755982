/**
 * Why a gate failed, in the words an operator needs: the HTTP status and the start of the body
 * from the balancer's side, the end of the node's log, and haproxy's view of the node's servers.
 */
import type { NodesetNode } from '../model';
import { taskResults, type PlaybookRun } from '../ansible/run-playbook';
import type { DeployRun } from './context';

export async function explainFailure(run: DeployRun, failed: PlaybookRun, nodes: NodesetNode[]): Promise<string[]> {
  const notes: string[] = [];
  const bad = nodes.filter((n) => failed.nodes[n.short]?.status === 'failed');
  for (const node of bad) {
    const failure = failed.nodes[node.short].failure;
    if (failure?.task !== 'gate') continue;
    // balancer-side.py's words: `gate URL: HTTP 500 ...; body: ...` or `gate URL: no answer: ...`
    for (const line of (failure.stderr ?? '').split('\n').filter((l) => l.startsWith('gate ')))
      notes.push(`${node.short}: ${line}`);
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
