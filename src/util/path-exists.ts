import { lstatSync } from 'node:fs';

/** Whether something (even a dangling symlink) is at this path. */
export function pathExists(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}
