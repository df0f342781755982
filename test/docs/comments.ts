/**
 * The comments of a source file, line by line, so that words about how the code was written can
 * be looked for in them and not in the code's own strings. JavaScript and TypeScript: `//` and
 * `/* ... *\/` outside string and template literals (a regular expression literal holding a
 * quote may hide a comment on its line: rare, and only a miss). Python, shell and YAML: `#` to
 * the end of the line outside quotes, and Python's triple-quoted docstrings.
 */
export interface CommentLine {
  line: number;
  text: string;
}

/** The comment text of JavaScript or TypeScript source, one entry per line that has some. */
export function scriptComments(source: string): CommentLine[] {
  const out = new Map<number, string>();
  const add = (line: number, text: string): void => void out.set(line, (out.get(line) ?? '') + text);
  let line = 1;
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === '\n') {
      line++;
      i++;
      continue;
    }
    if (c === '/' && source[i + 1] === '/') {
      const end = source.indexOf('\n', i);
      const stop = end < 0 ? source.length : end;
      add(line, source.slice(i + 2, stop));
      i = stop;
    } else if (c === '/' && source[i + 1] === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end;
      source
        .slice(i + 2, stop)
        .split('\n')
        .forEach((text, k) => add(line + k, text));
      line += source.slice(i, stop).split('\n').length - 1;
      i = stop + 2;
    } else if (c === '"' || c === "'" || c === '`') {
      i = skipString(source, i, (n) => {
        line += n;
      });
    } else {
      i++;
    }
  }
  return [...out].map(([n, text]) => ({ line: n, text }));
}

/** The index after the string literal starting at `start`; reports the newlines it crossed. */
function skipString(source: string, start: number, newlines: (count: number) => void): number {
  const quote = source[start];
  let i = start + 1;
  while (i < source.length && source[i] !== quote) {
    if (source[i] === '\\') i++;
    else if (source[i] === '\n') {
      if (quote !== '`') return i; // an unterminated quote ends at the line's end
      newlines(1);
    }
    i++;
  }
  return i + 1;
}

/** The comment text of Python, shell or YAML source (`#` comments; Python docstrings too). */
export function hashComments(source: string, docstrings: boolean): CommentLine[] {
  const out: CommentLine[] = [];
  let inDocstring = false;
  source.split('\n').forEach((text, index) => {
    const line = index + 1;
    if (docstrings && (inDocstring || text.includes('"""'))) {
      out.push({ line, text });
      if ((text.match(/"""/g) ?? []).length % 2 === 1) inDocstring = !inDocstring;
      return;
    }
    const hash = commentStart(text);
    if (hash >= 0) out.push({ line, text: text.slice(hash + 1) });
  });
  return out;
}

/** Where a `#` comment starts on a line, outside single and double quotes; -1 when none. */
function commentStart(text: string): number {
  let quote = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") {
      quote = c;
    } else if (c === '#') {
      return i;
    }
  }
  return -1;
}

/** The comments of a file, chosen by its extension; undefined for a kind this does not read. */
export function commentsOf(file: string, source: string): CommentLine[] | undefined {
  if (/\.(ts|js|mjs|cjs)$/.test(file)) return scriptComments(source);
  if (file.endsWith('.py')) return hashComments(source, true);
  if (/\.(sh|ya?ml)$/.test(file)) return hashComments(source, false);
  return undefined;
}
