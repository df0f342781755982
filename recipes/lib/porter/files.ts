/**
 * The overlay file (var/porter/NAME/routes.json) on disk: read it (missing means empty) and
 * replace it atomically, so a reader, nginx or a killed bin/porter only ever sees a whole table.
 */
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import * as path from 'node:path';
import { emptyOverlay, parseOverlay, type Overlay } from './table';

/** The overlay file exists but is not a table bin/porter wrote (hand-edited, truncated). */
export class CorruptTable extends Error {}

export function readOverlay(file: string): Overlay {
  if (!existsSync(file)) return emptyOverlay();
  const text = readFileSync(file, 'utf8');
  try {
    return parseOverlay(text);
  } catch (error) {
    throw new CorruptTable(`the routing table ${file} cannot be read: ${(error as Error).message}`);
  }
}

export function overlayText(overlay: Overlay): string {
  return `${JSON.stringify(overlay, null, 1)}\n`;
}

/** Temporary file beside the target, flushed, renamed over it. */
export function replaceFile(file: string, text: string, mode = 0o644): void {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const fd = openSync(temp, 'w', mode);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } catch (error) {
    closeSync(fd);
    rmSync(temp, { force: true });
    throw error;
  }
  closeSync(fd);
  renameSync(temp, file);
}
