/**
 * `nodeset plan` as text: per node the release step, then, for a node that takes the release,
 * its tree's plan as `bin/assemble plan` prints it (parts and why, file diffs with secrets
 * masked, what happens to each running program), indented under the node.
 */
import type { DeployPlan } from '../../nodeset/deploy/plan';
import { formatPlan } from '../plan';
import type { Palette } from '../../util/color';

export function planText(plan: DeployPlan, palette: Palette, verbose: boolean): string[] {
  const lines: string[] = [];
  plan.nodes.forEach((node, i) => {
    lines.push(plan.lines[i]);
    if (node.problem) lines.push(`    no plan: ${node.problem}`);
    if (node.report)
      lines.push(
        ...formatPlan(node.report, palette, verbose)
          .split('\n')
          .map((line) => (line ? `  ${line}` : line)),
      );
  });
  // the removed nodes' lines come after the nodes'
  lines.push(...plan.lines.slice(plan.nodes.length));
  return lines;
}
