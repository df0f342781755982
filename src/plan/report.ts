/**
 * The plan report as data, the one value `plan` prints as text and `plan --json` as JSON: per
 * part its action and reasons in words, per generated file its change and diff, per program
 * what apply will do to it, every secret masked. `changes` is false exactly when install would
 * change nothing (updates of unchanged parts are the no-op re-run's own work, no change) and
 * apply would act on no running program.
 */
import type { RuntimeChange, RuntimeReport } from '../recipe';
import type { InstalledState, Journal } from '../state/state';
import { describeReason, type Plan } from './plan';
import type { FileChange } from './file-diffs';
import type { Masker } from './secrets';

export const REPORT_FORMAT = 1;

export interface PartEntry {
  part: string;
  recipe: string;
  action: 'install' | 'reinstall' | 'update' | 'nothing' | 'uninstall';
  reasons: string[];
}

export interface ProgramEntry extends RuntimeChange {
  part: string;
}

export interface PlanReport {
  format: number;
  changes: boolean;
  /** A previous run stopped in the middle of this part: install undoes it first. */
  undo?: { part: string; mode: Journal['mode']; paths: number };
  parts: PartEntry[];
  files: FileChange[];
  /** running: whether the stack runs (null: no part can tell). */
  runtime: { running: boolean | null; programs: ProgramEntry[] };
}

export interface ReportInput {
  plan: Plan;
  state: InstalledState;
  recipeOf: (part: string) => string;
  files: FileChange[];
  runtime: Map<string, RuntimeReport>;
  journal?: Journal;
  masker: Masker;
}

function programs(runtime: Map<string, RuntimeReport>, masker: Masker): ProgramEntry[] {
  const out: ProgramEntry[] = [];
  for (const [part, report] of runtime) {
    for (const change of report.changes) {
      const masked = JSON.parse(masker.mask(JSON.stringify(change))) as RuntimeChange;
      out.push({ part, ...masked });
    }
  }
  return out;
}

export function planReport({ plan, recipeOf, files, runtime, journal, masker }: ReportInput): PlanReport {
  const parts: PartEntry[] = plan.uninstall.map((part) => ({
    part,
    recipe: recipeOf(part),
    action: 'uninstall',
    reasons: ['it is no longer in parts'],
  }));
  for (const step of plan.steps) {
    const action = step.action === 'unchanged' ? 'nothing' : step.action;
    const reasons =
      step.action === 'reinstall'
        ? step.reasons.flatMap((r) => describeReason(r, masker).split('\n'))
        : step.action === 'install'
          ? ['it is not installed yet']
          : [];
    parts.push({ part: step.part, recipe: recipeOf(step.part), action, reasons });
  }
  const reports = [...runtime.values()];
  const running = reports.length ? reports.some((r) => r.running) : null;
  const programList = programs(runtime, masker);
  // a stack that is not running has nothing to apply: its programs' list is what supervisord will start
  const acting = reports.some((r) => r.running && r.changes.some((c) => c.action !== 'untouched'));
  const partChanges = parts.some((p) => p.action !== 'nothing' && p.action !== 'update');
  const changes = !!journal || files.length > 0 || partChanges || acting;
  return {
    format: REPORT_FORMAT,
    changes,
    ...(journal ? { undo: { part: journal.part, mode: journal.mode, paths: journal.paths.length } } : {}),
    parts,
    files,
    runtime: { running, programs: programList },
  };
}
