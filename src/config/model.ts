/**
 * The data every configuration stage passes on. Every value knows where it came from: the file
 * and line of each assignment, `+=`, `-=`, macro and command-line override that shaped it.
 */

export type Origin =
  | {
      kind: 'file';
      file: string;
      /** Line of the `name = value` line (1-based). */
      line: number;
      /** File line of each line of the value, for pointing at a reference inside it. */
      lines: number[];
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

/** An option's raw (unsubstituted) value and its history, oldest first. */
export interface Value {
  value: string;
  history: HistoryEntry[];
}

/** Options of one section, in first-definition order; names may still carry `+`/`-` suffixes. */
export type Section = Map<string, Value>;

/** Sections in first-definition order. */
export type ConfigData = Map<string, Section>;

export function newValue(value: string, origin: Origin, op: Operation = 'SET'): Value {
  return { value, history: [{ op, value, origin }] };
}

export function lastOrigin(value: Value): Origin {
  return value.history[value.history.length - 1].origin;
}

export function cloneValue(value: Value): Value {
  return { value: value.value, history: value.history.slice() };
}

export function cloneSection(section: Section): Section {
  const copy: Section = new Map();
  for (const [name, value] of section) copy.set(name, cloneValue(value));
  return copy;
}

export function describeOrigin(origin: Origin): string {
  switch (origin.kind) {
    case 'file':
      return `${origin.file}:${origin.line}`;
    case 'default':
      return 'DEFAULT_VALUE';
    case 'computed':
      return 'COMPUTED_VALUE';
    case 'implicit':
      return 'IMPLICIT_VALUE';
    case 'command-line':
      return `COMMAND_LINE_VALUE (${origin.argument})`;
  }
}
