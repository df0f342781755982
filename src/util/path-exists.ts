import { lstatSync } from 'node:fs';

/** Whether something (even a dangling symlink) is at this path. */
export function pathExists(file: string): boolean {
  try {
    // no exception for the common "not there" answer: building one costs more than the lstat
    return lstatSync(file, { throwIfNoEntry: false }) !== undefined;
  } catch {
    return false; // ENOTDIR, EACCES: nothing reachable there either
  }
}
