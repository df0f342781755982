/** `bin/assemble plan [PART...]`: what install would do, part by part, with the reasons. */
import type { Logger } from '../output/logger';
import type { Assembly } from '../assemble';
import { describeReason } from '../plan/plan';
import { readJournal } from '../state/state';

export function formatPlan({ plan, run }: Assembly, logger: Logger): string {
  const { palette } = logger;
  const lines: string[] = [];
  const recipeOf = (part: string): string => run.parts.get(part)?.recipe.spec ?? run.state.parts[part]?.recipe ?? '';
  const journal = readJournal(run.stateFile);
  if (journal) lines.push(palette.yellow(`  undo        ${journal.part}: a previous run stopped while ${journal.mode === 'install' ? 'installing' : 'updating'} it (${journal.paths.length} paths)`));
  for (const part of plan.uninstall) lines.push(`  ${palette.yellow('uninstall'.padEnd(11))} ${part.padEnd(24)} ${palette.dim(recipeOf(part))}  ${palette.dim('(no longer in parts)')}`);
  for (const step of plan.steps) {
    const verb = step.action === 'unchanged' ? 'nothing' : step.action;
    const colour = verb === 'nothing' ? palette.dim : verb === 'reinstall' ? palette.yellow : palette.green;
    lines.push(`  ${colour(verb.padEnd(11))} ${step.part.padEnd(24)} ${palette.dim(recipeOf(step.part))}`);
    if (step.action === 'reinstall') for (const reason of step.reasons) lines.push(`              ${palette.dim('because')} ${describeReason(reason)}`);
    if (step.action === 'install') lines.push(`              ${palette.dim('because it is not installed yet')}`);
  }
  return lines.join('\n');
}
