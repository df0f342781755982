/**
 * Python's notion of whitespace, stripping and textwrap.dedent, reproduced exactly: zc.buildout
 * parses with them, and values must come out byte-for-byte the same as the reference.
 */

/** The characters for which Python's str.isspace() is true. */
export const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const SPACE_CLASS = new RegExp(`[${PY_SPACE}]`);
const LEADING = new RegExp(`^[${PY_SPACE}]+`);
const TRAILING = new RegExp(`[${PY_SPACE}]+$`);

export function isPySpace(ch: string): boolean {
  return ch.length > 0 && SPACE_CLASS.test(ch);
}

export function pyRstrip(text: string): string {
  return text.replace(TRAILING, '');
}

export function pyStrip(text: string): string {
  return text.replace(LEADING, '').replace(TRAILING, '');
}

/**
 * textwrap.dedent from CPython 3.11: removes the margin common to all non-blank lines. Written
 * with a split on "\n" because JavaScript's multiline ^ also matches after \r and \u2028.
 */
export function dedent(text: string): string {
  const lines = text.split('\n').map((line) => (/^[ \t]+$/.test(line) ? '' : line));
  let margin: string | undefined;
  for (const line of lines) {
    const indent = /^[ \t]*/.exec(line)![0];
    if (indent.length === line.length) continue; // blank line: no say in the margin
    if (margin === undefined) margin = indent;
    else if (indent.startsWith(margin)) continue;
    else if (margin.startsWith(indent)) margin = indent;
    else {
      let i = 0;
      while (i < margin.length && i < indent.length && margin[i] === indent[i]) i++;
      margin = margin.slice(0, i);
    }
  }
  const prefix = margin ?? '';
  if (!prefix) return lines.join('\n');
  return lines.map((line) => (line.startsWith(prefix) ? line.slice(prefix.length) : line)).join('\n');
}

const LEADING_BLANK_LINES = new RegExp(`^([${PY_SPACE}]*\\n)+`);

/** Removes leading blank lines; returns the text and how many lines were dropped. */
export function dropLeadingBlankLines(text: string): { text: string; dropped: number } {
  const match = LEADING_BLANK_LINES.exec(text);
  if (!match) return { text, dropped: 0 };
  let dropped = 0;
  for (const ch of match[0]) if (ch === '\n') dropped++;
  return { text: text.slice(match[0].length), dropped };
}
