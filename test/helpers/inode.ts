import { statSync } from 'node:fs';

/** The inode of a file, or undefined while it does not exist (between a rotation's steps). */
export function inode(file: string): number | undefined {
  try {
    return statSync(file).ino;
  } catch {
    return undefined;
  }
}
