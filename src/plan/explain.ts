/**
 * Reasons in words for derived values. A recipe that derives a digest (the supervisor's
 * config-sha256) says with `ctx.set(option, value, { explain })` what the digest stands for;
 * the state records that object (secrets masked) and the plan compares it key by key, so a
 * changed digest reads as `program varnish: command: ... -> ...`, never as two hashes.
 */
import type { PartInfo } from '../parts/initialize-parts';
import type { PartRecord } from '../state/state';
import type { Reason } from './plan';
import type { Masker } from './secrets';

/** What the state records of a part's declarations: explanations (masked), secret marks, outputs. */
type Declarations = Pick<PartRecord, 'explain' | 'secrets' | 'outputs'>;

export function recordedDeclarations(info: PartInfo, masker: Masker): Declarations {
  const out: Declarations = {};
  if (info.explain.size) {
    out.explain = Object.fromEntries([...info.explain].map(([option, record]) => [option, masker.maskRecord(record)]));
  }
  if (info.secrets.size) out.secrets = [...info.secrets].sort();
  if (info.outputs.size) out.outputs = [...info.outputs.keys()].sort();
  return out;
}

function shown(value: string): string {
  const one = value.replace(/\n/g, '\\n');
  return one.length > 100 ? `${one.slice(0, 97)}...` : one;
}

/**
 * A long value's change as the words that differ, with one word of context either side:
 * `-s malloc,128M -> -s malloc,256M` rather than two command lines cut at the same place.
 */
export function changedWords(before: string, after: string): string {
  if (before.length + after.length <= 120) return `${shown(before)} -> ${shown(after)}`;
  const a = before.split(' ');
  const b = after.split(' ');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const from = Math.max(0, start - 1);
  const part = (words: string[]): string => {
    const last = Math.min(words.length, words.length - end + 1);
    const middle = words.slice(from, last).join(' ') || '(nothing)';
    return `${from > 0 ? '... ' : ''}${middle}${last < words.length ? ' ...' : ''}`;
  };
  return `${shown(part(a))} -> ${shown(part(b))}`;
}

/** `key: old -> new` for every key that differs (values masked). */
export function explainLines(before: Record<string, string>, after: Record<string, string>): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(after)) {
    if (!(key in before)) lines.push(`${key}: added: ${shown(value)}`);
    else if (before[key] !== value) lines.push(`${key}: ${changedWords(before[key], value)}`);
  }
  for (const key of Object.keys(before)) if (!(key in after)) lines.push(`${key}: removed (was ${shown(before[key])})`);
  return lines;
}

/**
 * The part's reasons with each changed explained option replaced by what changed underneath
 * it. Without a recorded explanation (a state written before it existed) the reason says the
 * derived value changed, without showing it.
 */
export function explainReasons(
  reasons: Reason[],
  info: PartInfo,
  record: PartRecord | undefined,
  masker: Masker,
): Reason[] {
  return reasons.map((reason) => {
    if (reason.kind !== 'option') return reason;
    const now = info.explain.get(reason.option);
    const before = record?.explain?.[reason.option];
    if (!now && !before) return reason;
    const lines = explainLines(before ?? {}, masker.maskRecord(now ?? {}));
    if (!before) return { kind: 'derived', option: reason.option, lines: [] };
    const hidden = `what ${reason.option} covers changed (a secret, or a generated file's text: see files)`;
    return { kind: 'derived', option: reason.option, lines: lines.length ? lines : [hidden] };
  });
}
