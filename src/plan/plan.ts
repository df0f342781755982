/**
 * planParts: what a run would do, part by part, as a plain value: install (new), reinstall (with
 * every reason: an option changed from A to B, the recipe changed, a file it depends on changed,
 * a path it made is gone), update (unchanged, and the recipe has update), nothing, and the
 * uninstalls of parts no longer configured. Reads the disk (paths, file hashes), writes nothing.
 */
import { pathExists as exists } from '../util/path-exists';
import type { InstalledState } from '../state/state';
import type { PartInfo } from '../parts/initialize-parts';
import { explainReasons } from './explain';
import { Masker } from './secrets';

export type Reason =
  | { kind: 'read'; key: string; from?: string; to?: string }
  | { kind: 'option'; option: string; from?: string; to?: string }
  | { kind: 'derived'; option: string; lines: string[] }
  | { kind: 'recipe'; from: string; to: string }
  | { kind: 'input'; file: string }
  | { kind: 'path-missing'; path: string };

export type Step =
  | { action: 'install'; part: string }
  | { action: 'reinstall'; part: string; reasons: Reason[] }
  | { action: 'update'; part: string }
  | { action: 'unchanged'; part: string };

export interface Plan {
  /** Parts no longer configured, in reverse install order. */
  uninstall: string[];
  steps: Step[];
}

export interface PlannedPart {
  info: PartInfo;
  options: Map<string, string>;
  /** Current values of the other sections' options the part reads. */
  reads: Map<string, string>;
}

export function changeReasons(planned: PlannedPart, state: InstalledState): Reason[] {
  const record = state.parts[planned.info.name];
  const reasons: Reason[] = [];
  const identity = `${planned.info.recipe.identity} ${planned.info.recipe.version}`;
  const recorded = `${record.identity} ${record.version}`;
  if (identity !== recorded) reasons.push({ kind: 'recipe', from: recorded, to: identity });
  for (const [key, value] of planned.reads) {
    if (key in record.reads && record.reads[key] !== value)
      reasons.push({ kind: 'read', key, from: record.reads[key], to: value });
  }
  for (const [option, value] of planned.options) {
    const old = record.options[option];
    if (old !== value) reasons.push({ kind: 'option', option, from: old, to: value });
  }
  for (const option of Object.keys(record.options)) {
    if (!planned.options.has(option)) reasons.push({ kind: 'option', option, from: record.options[option] });
  }
  const files = new Set([...planned.info.inputs.keys(), ...Object.keys(record.inputs)]);
  for (const file of files) {
    if (planned.info.inputs.get(file) !== record.inputs[file]) reasons.push({ kind: 'input', file });
  }
  for (const path of record.paths) if (!exists(path)) reasons.push({ kind: 'path-missing', path });
  // the causes first (recipe, files, values read elsewhere), their consequences in options last
  const rank: Record<Reason['kind'], number> = {
    recipe: 0,
    input: 1,
    read: 2,
    'path-missing': 3,
    option: 4,
    derived: 4,
  };
  return reasons.sort((a, b) => rank[a.kind] - rank[b.kind]);
}

export function planParts(
  order: string[],
  planned: Map<string, PlannedPart>,
  state: InstalledState,
  only?: Set<string>,
  masker = new Masker([]),
): Plan {
  const steps: Step[] = [];
  for (const part of order) {
    if (only && !only.has(part)) continue;
    if (!state.parts[part]) {
      steps.push({ action: 'install', part });
      continue;
    }
    const entry = planned.get(part)!;
    const reasons = explainReasons(changeReasons(entry, state), entry.info, state.parts[part], masker);
    if (reasons.length) steps.push({ action: 'reinstall', part, reasons });
    else steps.push({ action: entry.info.recipe.recipe.update ? 'update' : 'unchanged', part });
  }
  const configured = new Set(order);
  const uninstall = only ? [] : [...state.order].reverse().filter((part) => !configured.has(part));
  return { uninstall, steps };
}

function short(value: string | undefined, masker: Masker): string {
  if (value === undefined) return '(unset)';
  const one = masker.mask(value).replace(/\n/g, '\\n');
  return JSON.stringify(one.length > 60 ? `${one.slice(0, 57)}...` : one);
}

/** A reason in words, every secret masked: `option port changed from "80" to "8080"`. */
export function describeReason(reason: Reason, masker = new Masker([])): string {
  const show = (value: string | undefined): string => short(value, masker);
  switch (reason.kind) {
    case 'option':
      if (reason.from === undefined) return `option ${reason.option} was added: ${show(reason.to)}`;
      if (reason.to === undefined) return `option ${reason.option} was removed (was ${show(reason.from)})`;
      return `option ${reason.option} changed from ${show(reason.from)} to ${show(reason.to)}`;
    case 'derived':
      if (!reason.lines.length) return `what ${reason.option} covers changed (no earlier record of it to compare)`;
      return reason.lines.map((line) => masker.mask(line)).join('\n');
    case 'recipe':
      return `the recipe changed from ${reason.from} to ${reason.to}`;
    case 'input':
      return `file ${reason.file} changed`;
    case 'read':
      return `\${${reason.key}} changed from ${show(reason.from)} to ${show(reason.to)}`;
    case 'path-missing':
      return `${reason.path} is gone`;
  }
}
