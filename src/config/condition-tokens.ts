/**
 * The tokenizer of conditional-section expressions (see condition.ts): numbers, strings with
 * Python's escapes and prefixes, names, operators; a `#` ends the expression (a header comment).
 */
import type { PyValue } from './condition-facts';

export class ConditionError extends Error {}

export type Token = { kind: 'num' | 'str' | 'name' | 'op' | 'end'; text: string; value?: PyValue; pos: number };

const OPERATORS = [
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  ',',
  '.',
  ':',
  '+',
  '-',
  '*',
  '/',
  '%',
];

function readString(src: string, start: number): { value: string; end: number } {
  let i = start;
  let raw = false;
  while (/[rRuUbB]/.test(src[i])) {
    if (/[rR]/.test(src[i])) raw = true;
    i++;
  }
  const quote = src.startsWith("'''", i) || src.startsWith('"""', i) ? src.slice(i, i + 3) : src[i];
  i += quote.length;
  let out = '';
  while (i < src.length && !src.startsWith(quote, i)) {
    const ch = src[i];
    if (ch === '\\' && i + 1 < src.length) {
      const next = src[i + 1];
      if (raw) out += ch + next;
      else {
        const simple: Record<string, string> = {
          n: '\n',
          t: '\t',
          r: '\r',
          '\\': '\\',
          "'": "'",
          '"': '"',
          '0': '\0',
          a: '\x07',
          b: '\b',
          f: '\f',
          v: '\v',
        };
        if (next in simple) out += simple[next];
        else if (next === 'x') {
          out += String.fromCharCode(Number.parseInt(src.slice(i + 2, i + 4), 16));
          i += 2;
        } else out += ch + next;
      }
      i += 2;
      continue;
    }
    out += ch;
    i++;
  }
  if (i >= src.length) throw new ConditionError(`unterminated string starting at column ${start + 1}`);
  return { value: out, end: i + quote.length };
}

export function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === '#') break; // a trailing comment
    if (/[0-9]/.test(ch) || (ch === '.' && /[0-9]/.test(src[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|(\d[\d_]*)?\.?\d[\d_]*([eE][+-]?\d+)?)/.exec(
        src.slice(i),
      )!;
      const text = m[0].replace(/_/g, '');
      const value = /^0[oO]/.test(text)
        ? Number.parseInt(text.slice(2), 8)
        : /^0[bB]/.test(text)
          ? Number.parseInt(text.slice(2), 2)
          : Number(text);
      tokens.push({ kind: 'num', text: m[0], value, pos: i });
      i += m[0].length;
      continue;
    }
    const isStringStart = /['"]/.test(ch) || (/[rRuUbB]/.test(ch) && /^[rRuUbB]{1,2}['"]/.test(src.slice(i, i + 3)));
    if (isStringStart) {
      const { value, end } = readString(src, i);
      tokens.push({ kind: 'str', text: src.slice(i, end), value, pos: i });
      i = end;
      continue;
    }
    if (/[A-Za-z_]/.test(ch)) {
      const name = /^[A-Za-z_][A-Za-z0-9_]*/.exec(src.slice(i))![0];
      tokens.push({ kind: 'name', text: name, pos: i });
      i += name.length;
      continue;
    }
    const op = OPERATORS.find((o) => src.startsWith(o, i));
    if (!op) throw new ConditionError(`unexpected character ${JSON.stringify(ch)} at column ${i + 1}`);
    tokens.push({ kind: 'op', text: op, pos: i });
    i += op.length;
  }
  tokens.push({ kind: 'end', text: '', pos: src.length });
  return tokens;
}
