/**
 * A program's file as the tree that describes it has it. With `runFrom` (supervisor's
 * `run-from`, a link to the tree), programs name their files through the link; before the link
 * points at this tree (a release planned before it is switched to), the link still shows the old
 * one, so a plan reads the files here.
 */
import * as path from 'node:path';
import type { SupervisorFile } from './format';

export function treeFile(config: Pick<SupervisorFile, 'directory' | 'runFrom'>, file: string): string {
  if (!config.runFrom) return file;
  const relative = path.relative(config.runFrom, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : path.join(config.directory, relative);
}
