/**
 * A tree run through a link to it (supervisor's `run-from`, a nodeset release's
 * `<deploy-root>/current`): its paths as the programs name them (through the link) and as the
 * tree has them. Before the link points at this tree (a release planned before it is switched
 * to), the link still shows the old one, so a plan reads the files here.
 */
import * as path from 'node:path';
import type { SupervisorFile } from './format';

type Tree = Pick<SupervisorFile, 'directory' | 'runFrom'>;

/** Every path under `directory` in `text`, written through `link`. */
export function throughLinkText(text: string, directory: string, link: string): string {
  return text === directory ? link : text.split(`${directory}/`).join(`${link}/`);
}

/** Whether the tree's programs name its files through a link other than the directory itself. */
export function runsThroughLink(tree: Tree | undefined): tree is Tree & { runFrom: string } {
  return Boolean(tree?.runFrom && tree.runFrom !== tree.directory);
}

/** A program's file (named through the link) where this tree has it. */
export function treeFile(config: Tree, file: string): string {
  if (!config.runFrom) return file;
  const relative = path.relative(config.runFrom, file);
  return relative.startsWith('..') || path.isAbsolute(relative) ? file : path.join(config.directory, relative);
}
