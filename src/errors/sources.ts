/**
 * Texts of the configuration files read in this run, kept so that an error printed later can show
 * a code frame even for a file fetched from a URL.
 */
import { readFileSync } from 'node:fs';

const texts = new Map<string, string>();
const split = new Map<string, string[]>();

export function rememberSource(file: string, text: string): void {
  texts.set(file, text);
  split.delete(file);
}

/** The file's lines (split once, on first need: most runs never print a code frame). */
export function sourceLines(file: string): string[] | undefined {
  const known = split.get(file);
  if (known) return known;
  let text = texts.get(file);
  if (text === undefined) {
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
    texts.set(file, text);
  }
  const lines = text.split(/\r\n|\r|\n/);
  split.set(file, lines);
  return lines;
}
