/**
 * Writes a file so that a reader (or a process killed half-way) only ever sees the old or the new
 * contents: write a temporary file beside it, flush it, rename it over, flush the directory.
 */
import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync, chmodSync } from 'node:fs';
import * as path from 'node:path';

let counter = 0;

export function writeFileAtomic(file: string, content: string | Buffer, mode = 0o644): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${++counter}.tmp`);
  const fd = openSync(temp, 'w', mode);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  chmodSync(temp, mode); // the umask must not widen or narrow what was asked for
  renameSync(temp, file);
  try {
    const dir = openSync(path.dirname(file), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  } catch {
    // some file systems cannot fsync a directory; the rename is still atomic
  }
}
