/**
 * The data every configuration stage passes on. Every value knows where it came from: the file
 * and line of each assignment, `+=`, `-=`, macro and command-line override that shaped it.
 * Values are kept lean (one object per option, one per origin): configurations of thousands of
 * sections are resolved in one short-lived process, where allocations cost more than logic.
 */

export type Origin =
  | {
      kind: 'file';
      file: string;
      /** Line of the `name = value` line (1-based). */
      line: number;
      /** File line of each line of a multi-line value (absent: the value is on `line`). */
      lines?: number[];
    }
  | { kind: 'default' }
  | { kind: 'computed' }
  | { kind: 'implicit' }
  | { kind: 'command-line'; argument: string };

export type Operation = 'SET' | 'OVERRIDE' | 'ADD' | 'REMOVE' | 'DIRECTORY' | 'MACRO';

export interface HistoryEntry {
  op: Operation;
  value: string;
  origin: Origin;
  /** For MACRO entries: the section the value was copied from. */
  from?: string;
}

/** An option's raw (unsubstituted) value and where it came from. */
export interface Value {
  value: string;
  /** The assignment that created the option... */
  origin: Origin;
  /** ...and the value it assigned. */
  initial: string;
  /** Operations applied since, oldest first (absent when there were none). */
  later?: HistoryEntry[];
  /**
   * A value copied by a `<=` macro: the value it is a copy of (whose history comes first, then
   * a MACRO entry, then `later`) and that value's section. A link, not a copy of the history:
   * a chain of macros thousands deep would otherwise copy it at every level.
   */
  source?: Value;
  sourceSection?: string;
}

/** Options of one section, in first-definition order; names may still carry `+`/`-` suffixes. */
export type Section = Map<string, Value>;

/** Sections in first-definition order. */
export type ConfigData = Map<string, Section>;

export const DEFAULT_ORIGIN: Origin = { kind: 'default' };
export const IMPLICIT_ORIGIN: Origin = { kind: 'implicit' };

/**
 * A value as the parser makes it, for `name = value` at a file's line: its origin object is made
 * when first asked for. Most values never are (only annotate and errors ask), and one object less
 * per option is a tenth less garbage-collector work for a large configuration.
 */
export class FileValue implements Value {
  // fields declared, then set in the constructor: class field definitions would cost an extra
  // initialiser call per object, and the parser makes one per option
  declare value: string;
  declare initial: string;
  declare later?: HistoryEntry[];
  declare private readonly file: string;
  declare private readonly line: number;
  declare private made?: Origin;

  constructor(value: string, file: string, line: number) {
    this.value = value;
    this.initial = value;
    this.file = file;
    this.line = line;
  }

  get origin(): Origin {
    return (this.made ??= { kind: 'file', file: this.file, line: this.line });
  }

  set origin(origin: Origin) {
    this.made = origin;
  }
}

export function newValue(value: string, origin: Origin): Value {
  return { value, origin, initial: value };
}

/** The whole history, oldest first, starting with the assignment that created the option. */
export function historyOf(value: Value): HistoryEntry[] {
  const copies: Value[] = [];
  let root = value;
  while (root.source) {
    copies.push(root);
    root = root.source;
  }
  const history: HistoryEntry[] = [{ op: 'SET', value: root.initial, origin: root.origin }];
  if (root.later) history.push(...root.later);
  for (let i = copies.length - 1; i >= 0; i--) {
    const copy = copies[i];
    const source = copy.source!;
    history.push({ op: 'MACRO', value: source.value, origin: lastOrigin(source), from: copy.sourceSection });
    if (copy.later) history.push(...copy.later);
  }
  return history;
}

export function lastOrigin(value: Value): Origin {
  let v = value;
  while (!v.later?.length && v.source) v = v.source;
  return v.later?.length ? v.later[v.later.length - 1].origin : v.origin;
}

/** A copy of `value` made by a macro in `section`'s name: it links to the value, see Value.source. */
export function macroCopy(value: Value, section: string): Value {
  return { value: value.value, origin: value.origin, initial: value.initial, source: value, sourceSection: section };
}

export function record(value: Value, entry: HistoryEntry): void {
  (value.later ??= []).push(entry);
}

/** A plain copy (a FileValue's origin included: spreading it would lose the getter). */
export function cloneValue(value: Value): Value {
  const copy: Value = { value: value.value, origin: value.origin, initial: value.initial };
  if (value.later) copy.later = value.later.slice();
  if (value.source) {
    copy.source = value.source;
    copy.sourceSection = value.sourceSection;
  }
  return copy;
}

export function cloneSection(section: Section): Section {
  const copy: Section = new Map();
  for (const [name, value] of section) copy.set(name, cloneValue(value));
  return copy;
}

/** The file line of line `index` of a value assigned at `origin`. */
export function lineOf(origin: Origin & { kind: 'file' }, index: number): number {
  return origin.lines?.[index] ?? origin.line;
}
