/**
 * decodeConfigText: a configuration file's bytes as text, strictly UTF-8 as zc.buildout reads
 * them. A file that is not UTF-8 is an error located at its first bad byte, never text with
 * replacement characters in it.
 */
import { isUtf8 } from 'node:buffer';
import { errors } from '../errors/codes';
import { rememberSource } from '../errors/sources';

/** How many bytes the sequence starting at `i` takes, or 0 when it is not valid UTF-8 there. */
function sequenceLength(bytes: Uint8Array, i: number): number {
  const b = bytes[i];
  if (b < 0x80) return 1;
  let length: number;
  let min: number;
  if (b >= 0xc2 && b <= 0xdf) [length, min] = [2, 0x80];
  else if (b >= 0xe0 && b <= 0xef) [length, min] = [3, 0x800];
  else if (b >= 0xf0 && b <= 0xf4) [length, min] = [4, 0x10000];
  else return 0;
  if (i + length > bytes.length) return 0;
  let code = b & (0xff >> (length + 1));
  for (let k = 1; k < length; k++) {
    const c = bytes[i + k];
    if ((c & 0xc0) !== 0x80) return 0;
    code = (code << 6) | (c & 0x3f);
  }
  // overlong forms, surrogates and code points past U+10FFFF are invalid as well
  if (code < min || (code >= 0xd800 && code <= 0xdfff) || code > 0x10ffff) return 0;
  return length;
}

/** The offset of the first byte that does not start a valid UTF-8 sequence. */
export function firstInvalidByte(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const length = sequenceLength(bytes, i);
    if (!length) return i;
    i += length;
  }
  return -1;
}

/** Line and column (1-based; the column counts characters, as the code frame does) of a byte offset. */
function position(bytes: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    const b = bytes[i];
    if (b === 0x0a || (b === 0x0d && bytes[i + 1] !== 0x0a)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: bytes.subarray(lineStart, offset).toString('utf8').length + 1 };
}

export function decodeConfigText(bytes: Buffer, file: string): string {
  const text = bytes.toString('utf8');
  // the decoder replaces bad bytes with U+FFFD: only a text holding one can be invalid
  if (!text.includes('\ufffd') || isUtf8(bytes)) return text;
  const offset = firstInvalidByte(bytes);
  const { line, column } = position(bytes, offset);
  rememberSource(file, text); // the code frame shows the line as decoded, the bad byte as U+FFFD
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  throw errors.configNotUtf8(file, bytes[offset], offset, { file, line, column, length: 1 }, utf16);
}
