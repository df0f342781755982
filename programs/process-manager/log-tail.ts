/** The last lines of a program's log files, read from the end (logs can be large). */
import { closeSync, openSync, readSync, statSync } from 'node:fs';

export function lastLines(file: string, count: number, maxBytes = 64 * 1024): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = statSync(file).size;
    const length = Math.min(size, maxBytes);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    const lines = buffer.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (length < size) lines.shift(); // probably cut in the middle
    return lines.slice(-count);
  } finally {
    closeSync(fd);
  }
}
