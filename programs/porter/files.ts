/**
 * The overlay file (var/porter/NAME/routes.json) on disk: read it (missing means empty) and
 * replace it atomically, so a reader, nginx or a killed bin/porter only ever sees a whole table.
 */
import { existsSync, readFileSync } from 'node:fs';
import { emptyOverlay, parseOverlay, type Overlay } from './table';
import { porterErrors } from '../../src/errors/factories/porter';

export function readOverlay(file: string): Overlay {
  if (!existsSync(file)) return emptyOverlay();
  try {
    return parseOverlay(readFileSync(file, 'utf8'));
  } catch (error) {
    throw porterErrors.tableCorrupt(file, (error as Error).message);
  }
}

export function overlayText(overlay: Overlay): string {
  return `${JSON.stringify(overlay, null, 1)}\n`;
}
