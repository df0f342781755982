/**
 * Switches nodes back to the release they ran before, one at a time, newest first, through the
 * same drain, restart and gate as the way forward. Refused for a node whose update step ran when
 * its role says the update cannot be undone, and impossible for a node that had no release.
 */
import type { NodesetNode } from '../model';
import type { DeployRun } from './context';
import type { NodeOutcome } from './outcome';

export async function switchBack(run: DeployRun, switched: NodesetNode[], updateRan: boolean): Promise<NodeOutcome[]> {
  const outcomes: NodeOutcome[] = [];
  for (const node of [...switched].reverse()) {
    const previous = run.releases[node.short]?.current;
    const role = run.nodeset.roles.find((r) => r.name === node.role);
    if (!previous) {
      outcomes.push({
        node: node.short,
        state: 'failed',
        step: 'roll back',
        detail: 'no earlier release to go back to',
      });
      continue;
    }
    if (updateRan && role?.updateCommand && !role.updateReversible) {
      outcomes.push({
        node: node.short,
        state: 'failed',
        step: 'roll back',
        detail: `refused: the update command ran and [role.${role.name}] update-reversible = false`,
      });
      continue;
    }
    const back = await run.play('activate', [node], {
      release: previous,
      drain: node.kind === 'appserver',
      batches: [1],
    });
    const result = back.nodes[node.short];
    outcomes.push(
      result && result.status !== 'failed' && result.status !== 'unreachable'
        ? { node: node.short, state: 'rolled back', release: previous }
        : {
            node: node.short,
            state: 'failed',
            step: `roll back (${result?.failure?.task ?? 'not reached'})`,
            detail: result?.failure?.msg,
          },
    );
  }
  return outcomes;
}
