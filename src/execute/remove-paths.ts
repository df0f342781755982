/**
 * Removes the paths a part recorded, newest first, and nothing else: never the tree's own root,
 * never a directory that holds the tree, never the filesystem root.
 */
import { rmSync, rmdirSync } from 'node:fs';
import { pathExists } from '../util/path-exists';
import * as path from 'node:path';
import { installErrors } from '../errors/codes';

export function removeRecordedPaths(paths: string[], treeRoot: string, part: string): void {
  const root = path.resolve(treeRoot);
  for (const file of [...paths].reverse()) {
    const absolute = path.resolve(file);
    const relative = path.relative(absolute, root);
    if (
      absolute === '/' ||
      absolute === root ||
      (relative && !relative.startsWith('..') && !path.isAbsolute(relative))
    ) {
      throw installErrors.unsafeRemove(part, absolute);
    }
    if (!pathExists(absolute)) continue; // already gone
    rmSync(absolute, { recursive: true, force: true });
  }
}

/** Removes directories made to hold a part's files, deepest first, when nothing else is in them. */
export function removeEmptyParents(parents: string[]): void {
  for (const dir of [...parents].sort((a, b) => b.length - a.length)) {
    try {
      rmdirSync(dir);
    } catch {
      // not empty (another part's files are there) or already gone: keep it
    }
  }
}
