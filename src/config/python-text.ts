/**
 * Python's notion of whitespace, stripping and textwrap.dedent, reproduced exactly: zc.buildout
 * parses with them, and values must come out byte-for-byte the same as the reference.
 * Stripping is done with char-code checks, not regular expressions: the parser calls it on every
 * line and it dominates parsing time otherwise.
 */

/** The characters for which Python's str.isspace() is true, as a regex character-class body. */
export const PY_SPACE =
  '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';

export function isPySpaceCode(code: number): boolean {
  if (code <= 0x20) return code === 0x20 || (code >= 0x09 && code <= 0x0d) || (code >= 0x1c && code <= 0x1f);
  if (code < 0x85) return false;
  return (
    code === 0x85 ||
    code === 0xa0 ||
    code === 0x1680 ||
    (code >= 0x2000 && code <= 0x200a) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0x202f ||
    code === 0x205f ||
    code === 0x3000
  );
}

export function isPySpace(ch: string): boolean {
  return ch.length > 0 && isPySpaceCode(ch.charCodeAt(0));
}

export function pyRstrip(text: string): string {
  let end = text.length;
  while (end > 0 && isPySpaceCode(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

export function pyStrip(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isPySpaceCode(text.charCodeAt(start))) start++;
  while (end > start && isPySpaceCode(text.charCodeAt(end - 1))) end--;
  return start === 0 && end === text.length ? text : text.slice(start, end);
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

const PY_SPACES = new RegExp(`[${PY_SPACE}]+`);

/** str.split() without arguments: words between runs of Python whitespace, no empty ones. */
export function pySplit(text: string): string[] {
  const words = text.split(PY_SPACES);
  if (words.length && words[0] === '') words.shift();
  if (words.length && words[words.length - 1] === '') words.pop();
  return words;
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

const SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Sorted as Python's sorted() sorts str (by code point), in place. JS's default sort compares
 * UTF-16 units, which agrees unless a string has a character past U+FFFF: only then is the
 * slower comparison used.
 */
export function pySort(strings: string[]): string[] {
  if (strings.length < 2) return strings;
  // one scan of the joined names: cheaper than a test per name while the code is still cold
  if (!SURROGATE.test(strings.join(''))) return strings.sort();
  return strings.sort((a, b) => (a === b ? 0 : pyLess(a, b) ? -1 : 1));
}

/** Python's `a < b` on str: by code point (JS's `<` compares UTF-16 units, which differs past U+FFFF). */
export function pyLess(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const ca = a.codePointAt(i)!;
    const cb = b.codePointAt(j)!;
    if (ca !== cb) return ca < cb;
    i += ca > 0xffff ? 2 : 1;
    j += cb > 0xffff ? 2 : 1;
  }
  return a.length - i < b.length - j;
}
