/**
 * Size-based rotation of the programs' logs, with nothing installed at run time (no
 * pm2-logrotate, which pulls a second pm2 from npm). A file over the limit is renamed to .1
 * (older ones shift up to the number kept; the oldest goes), then pm2 reopens its log files;
 * until it does, it writes on into the renamed file. Measured limit: pm2's reloadLogs destroys
 * its write streams, dropping output they still buffer at that instant (a 4-line chunk of an
 * 80 KB/s writer, in about one test run of eight under heavy load). Copy-and-truncate lost more
 * here (a write can land between the copy and the truncate), so it is used only for pm2's own
 * daemon log, which pm2 cannot reopen.
 */
import { copyFileSync, renameSync, rmSync, statSync, truncateSync } from 'node:fs';

function size(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function shift(file: string, backups: number): void {
  rmSync(`${file}.${backups}`, { force: true });
  for (let n = backups - 1; n >= 1; n--) {
    try { renameSync(`${file}.${n}`, `${file}.${n + 1}`); } catch { /* not there yet */ }
  }
}

/** Rotates the files over `maxBytes` by renaming; returns those rotated (pm2 must reopen them). */
export function rotateByRename(files: string[], maxBytes: number, backups: number): string[] {
  const rotated: string[] = [];
  for (const file of new Set(files)) {
    if (size(file) <= maxBytes) continue;
    if (backups === 0) {
      truncateSync(file, 0);
    } else {
      shift(file, backups);
      renameSync(file, `${file}.1`);
    }
    rotated.push(file);
  }
  return rotated;
}

/** For files held open by a writer we cannot ask to reopen (opened in append mode). */
export function rotateByCopy(file: string, maxBytes: number, backups: number): boolean {
  if (size(file) <= maxBytes) return false;
  if (backups > 0) {
    shift(file, backups);
    copyFileSync(file, `${file}.1`);
  }
  truncateSync(file, 0);
  return true;
}
