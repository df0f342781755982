/**
 * The one error class of Zetaserver. Every user-facing failure is a ZetaError with a code from
 * the catalogue (`catalogue/`), made by its factory (`factories/`): a message, and where known a
 * location in a `.cfg` file, a hint (the catalogue's when the factory gives none) and the list of
 * things the assembler was doing (`while`). Anything else that escapes is a bug.
 */
import type { CodeEntry, ErrorCode, ExitStatus } from './catalogue';

/** The catalogue's entry of a code, loaded on the first error: a run that succeeds never needs its texts. */
function entry(code: ErrorCode): CodeEntry {
  return (require('./catalogue') as typeof import('./catalogue')).catalogue[code];
}

export type { ErrorCode } from './catalogue';

export interface SourceLocation {
  /** Absolute path or URL of the file. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
  /** Length of the span to underline in the code frame (default 1). */
  length?: number;
}

export interface ZetaErrorDetails {
  location?: SourceLocation;
  section?: string;
  option?: string;
  hint?: string;
  /** Extra lines shown after the message (e.g. the last lines of a build log). */
  details?: string[];
  /** More problems of the same run, printed together ("collect, then fail"). */
  related?: ZetaError[];
  cause?: unknown;
}

export class ZetaError extends Error {
  readonly code: ErrorCode;
  readonly location?: SourceLocation;
  readonly section?: string;
  readonly option?: string;
  readonly hint: string;
  readonly details: string[];
  readonly related: ZetaError[];
  /** What the assembler was doing, outermost first ("resolving [nginx] upstream"). */
  readonly doing: string[] = [];

  constructor(code: ErrorCode, message: string, extra: ZetaErrorDetails = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'ZetaError';
    this.code = code;
    this.location = extra.location;
    this.section = extra.section;
    this.option = extra.option;
    this.hint = extra.hint ?? entry(code).hint;
    this.details = extra.details ?? [];
    this.related = extra.related ?? [];
  }

  /** The exit status of a run this error stops, from the catalogue. */
  get status(): ExitStatus {
    return entry(this.code).status;
  }

  /** Records what was being done when the error passed through; returns the error for rethrow. */
  while(doing: string): this {
    this.doing.unshift(doing);
    return this;
  }
}

export function isZetaError(value: unknown): value is ZetaError {
  return value instanceof ZetaError;
}

/** Problems found together ("collect, then fail") as one error: the first, the others beside it. */
export function together(problems: ZetaError[]): ZetaError {
  const [first, ...rest] = problems;
  return new ZetaError(first.code, first.message, {
    location: first.location,
    section: first.section,
    option: first.option,
    hint: first.hint,
    details: first.details,
    related: rest,
  });
}
