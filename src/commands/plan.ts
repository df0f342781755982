/**
 * `bin/assemble plan [PART...]`: what install and apply would do, as one report: the parts
 * (with reasons in words), the generated files (unified diffs, coloured on a terminal only, a
 * count instead of the body past 200 changed lines unless -v), the running programs, then
 * "nothing to do" or what is pending. `--json` prints the same report as data (docs/plan.md).
 */
import type { Assembly } from '../assemble';
import type { Palette } from '../util/color';
import { readJournal } from '../state/state';
import { planReport, type PlanReport } from '../plan/report';
import type { FileChange } from '../plan/file-diffs';

/** Past this many changed lines a file's diff is summarised (-v shows it whole). */
export const LARGE_DIFF = 200;

export function buildReport({ plan, run, files, runtime, masker }: Assembly): PlanReport {
  const recipeOf = (part: string): string => run.parts.get(part)?.recipe.spec ?? run.state.parts[part]?.recipe ?? '';
  return planReport({ plan, state: run.state, recipeOf, files, runtime, journal: readJournal(run.stateFile), masker });
}

function colourDiff(diff: string, palette: Palette): string[] {
  return diff.split('\n').map((line) => {
    if (line.startsWith('+++') || line.startsWith('---')) return palette.bold(line);
    if (line.startsWith('@@')) return palette.cyan(line);
    if (line.startsWith('+')) return palette.green(line);
    if (line.startsWith('-')) return palette.red(line);
    return line;
  });
}

function fileLines(file: FileChange, palette: Palette, verbose: boolean): string[] {
  const mode = file.mode ? ` (mode ${file.mode.from ? `${file.mode.from} -> ` : ''}${file.mode.to ?? ''})` : '';
  const counts = `[${file.part}] +${file.added} -${file.removed}${mode}`;
  const head = `  ${file.change.padEnd(9)} ${file.path}  ${palette.dim(counts)}`;
  if (file.change === 'deleted' || !file.diff.includes('\n@@')) return [head];
  if (!verbose && file.added + file.removed > LARGE_DIFF) {
    return [head, palette.dim(`    (${file.added + file.removed} lines changed: -v shows them)`)];
  }
  return [head, ...colourDiff(file.diff, palette).map((line) => `    ${line}`)];
}

function summary(report: PlanReport): string {
  if (!report.changes) return 'nothing to do';
  const count = (action: string): number => report.parts.filter((p) => p.action === action).length;
  const words = ['install', 'reinstall', 'uninstall'].filter((a) => count(a)).map((a) => `${count(a)} to ${a}`);
  if (report.files.length) words.push(`${report.files.length} file${report.files.length === 1 ? '' : 's'} to change`);
  const programs = report.runtime.running ? report.runtime.programs.filter((p) => p.action !== 'untouched').length : 0;
  if (programs) words.push(`${programs} program${programs === 1 ? '' : 's'} to act on`);
  return `changes pending: ${words.join(', ') || 'an interrupted run to undo'}`;
}

export function formatPlan(report: PlanReport, palette: Palette, verbose = false): string {
  const lines: string[] = [];
  if (report.undo) {
    const { part, mode, paths } = report.undo;
    const doing = mode === 'install' ? 'installing' : 'updating';
    lines.push(palette.yellow(`  undo        ${part}: a previous run stopped while ${doing} it (${paths} paths)`));
  }
  for (const part of report.parts) {
    const quiet = part.action === 'nothing' || part.action === 'update';
    const colour = quiet ? palette.dim : part.action === 'install' ? palette.green : palette.yellow;
    lines.push(`  ${colour(part.action.padEnd(11))} ${part.part.padEnd(24)} ${palette.dim(part.recipe)}`);
    for (const reason of part.reasons) lines.push(`              ${palette.dim('because')} ${reason}`);
  }
  if (report.files.length) {
    lines.push('', 'files:');
    for (const file of report.files) lines.push(...fileLines(file, palette, verbose));
  }
  if (report.runtime.programs.length) {
    const idle = 'programs (the stack is not running: bin/supervisord starts them):';
    const title = report.runtime.running ? 'running programs:' : idle;
    lines.push('', title);
    for (const program of report.runtime.programs) {
      const how = program.how ? ` (${program.how})` : '';
      lines.push(`  ${program.action.padEnd(15)} ${program.program}${how}`);
      for (const why of program.why ?? []) lines.push(`              ${palette.dim('because')} ${why}`);
      if (program.cost) lines.push(`              ${palette.yellow('cost')}: ${program.cost}`);
    }
  }
  lines.push('', summary(report));
  return lines.join('\n');
}
