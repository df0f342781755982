/**
 * Finds where in the files a piece of an option's value was written, so that an error about a
 * reference inside a multi-line, merged value can still point at the exact line and column.
 */
import { historyOf, lineOf, type Value } from './model';
import type { SourceLocation } from '../errors/zeta-error';
import { sourceLines } from '../errors/sources';

export function locateInValue(value: Value | undefined, needle: string): SourceLocation | undefined {
  if (!value) return undefined;
  const history = historyOf(value);
  for (let i = history.length - 1; i >= 0; i--) {
    const { origin, value: text } = history[i];
    if (origin.kind !== 'file') continue;
    const lines = text.split('\n');
    const index = needle ? lines.findIndex((line) => line.includes(needle)) : 0;
    if (index < 0) continue;
    const line = lineOf(origin, index);
    const fileText = sourceLines(origin.file)?.[line - 1] ?? '';
    const column = needle ? fileText.indexOf(needle) + 1 : 0;
    return { file: origin.file, line, column: column > 0 ? column : 1, length: column > 0 ? needle.length : 1 };
  }
  return undefined;
}

/** Where the option itself was last assigned: the start of the value on its `name = value` line. */
/** Where an option's name is written (the start of its line), for errors about the name itself. */
export function locateOptionName(value: Value | undefined, name: string): SourceLocation | undefined {
  const at = locateOption(value);
  if (!at) return undefined;
  const text = sourceLines(at.file)?.[at.line - 1] ?? '';
  const column = text.indexOf(name);
  return column < 0 ? at : { file: at.file, line: at.line, column: column + 1, length: name.length };
}

export function locateOption(value: Value | undefined): SourceLocation | undefined {
  if (!value) return undefined;
  const history = historyOf(value);
  for (let i = history.length - 1; i >= 0; i--) {
    const { origin } = history[i];
    if (origin.kind !== 'file') continue;
    const text = sourceLines(origin.file)?.[origin.line - 1] ?? '';
    const equals = text.indexOf('=');
    let column = equals + 1;
    while (column < text.length && (text[column] === ' ' || text[column] === '\t')) column++;
    const start = equals >= 0 && column < text.length ? column + 1 : 1;
    return {
      file: origin.file,
      line: origin.line,
      column: start,
      length: Math.max(1, text.trimEnd().length - start + 1),
    };
  }
  return undefined;
}
