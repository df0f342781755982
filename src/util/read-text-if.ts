import { readFileSync } from 'node:fs';

/** A text file's contents, or undefined when it cannot be read (missing, a directory, no access). */
export function readTextIf(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}
