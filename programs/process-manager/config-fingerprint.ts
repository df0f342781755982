/**
 * A program's configuration files, fingerprinted for `update`, as three hashes in one string:
 *   restart  the files a reload does not apply (every file of a program that cannot reload)
 *   reload   the files its reload applies (`reload.files`, else every file)
 *   exact    every file as written
 * then the older format's one hash, the restart hash of the configuration files alone, and the
 * hash of the program's executable when the tree built it (a part rebuilds it at the same path:
 * its command line stays the same, and only a restart runs the new one).
 * With run-from (a nodeset release run through `<deploy-root>/current`), the first two read the
 * tree's own directory in a file as the link: a release whose settings are those of the one
 * running differs only in its exact hash, and a program that can reload is reloaded onto the new
 * release's files instead of restarted. There the files the program reads from the release (its
 * `reads`: the application, its scripts) count for a restart too.
 */
import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import type { Program } from './config';
import { runsThroughLink, throughLinkText, treeFile } from './tree-file';

export interface TreeOf {
  directory: string;
  runFrom?: string;
}

const FORMAT = 'v2';

function covered(program: Program): (file: string) => boolean {
  if (!program.reload) return () => false;
  const files = program.reload.files;
  return files ? (file) => files.includes(file) : () => true;
}

export function configFingerprint(
  program: Program,
  tree?: TreeOf,
  contentAfter?: (file: string) => Buffer | string | undefined,
): string {
  const hashes = {
    restart: createHash('sha256'),
    reload: createHash('sha256'),
    exact: createHash('sha256'),
    // the restart hash's share of the configuration files alone: says whether `reads` changed
    files: createHash('sha256'),
  };
  // the single hash recorded before this format: a stack started then is not restarted for it
  const earlier = createHash('sha256');
  const reloads = covered(program);
  for (const file of program.configFiles ?? []) {
    const where = tree ? treeFile(tree, file) : file;
    let content: Buffer | string;
    try {
      content = contentAfter?.(where) ?? readFileSync(where);
    } catch {
      content = 'missing';
    }
    hashes.exact.update(`${file}\0`).update(content).update('\0');
    earlier.update(file).update('\0').update(content);
    const settings = runsThroughLink(tree)
      ? throughLinkText(content.toString(), tree.directory, tree.runFrom)
      : content;
    (reloads(file) ? hashes.reload : hashes.restart).update(`${file}\0`).update(settings).update('\0');
    if (!reloads(file)) hashes.files.update(`${file}\0`).update(settings).update('\0');
  }
  // a release run through a link runs its own code at unchanged paths: the files a program
  // reads from the release (its application, its scripts) count too, and restart it
  // (a configuration file among them is counted above, where its reload decides)
  if (runsThroughLink(tree)) {
    const config = new Set(program.configFiles ?? []);
    for (const file of (program.reads ?? []).filter((f) => !config.has(f))) {
      const content = releaseFile(tree, file, contentAfter);
      if (content === undefined) continue;
      const settings = throughLinkText(content.toString(), tree.directory, tree.runFrom);
      hashes.exact.update(`${file}\0`).update(content).update('\0');
      hashes.restart.update(`${file}\0`).update(settings).update('\0');
    }
  }
  return [
    FORMAT,
    hashes.restart.digest('hex'),
    hashes.reload.digest('hex'),
    hashes.exact.digest('hex'),
    earlier.digest('hex'),
    hashes.files.digest('hex'),
    executableHash(program, tree, contentAfter),
  ].join(':');
}

/**
 * The hash of the executable a program runs, when it is a file of the tree (a part built it);
 * `-` for one from outside the tree (Debian's): an upgrade of the system is not this tree's to
 * apply. A text file (a generated script) is read with the release's path as the link's.
 */
function executableHash(
  program: Program,
  tree: TreeOf | undefined,
  contentAfter?: (file: string) => Buffer | string | undefined,
): string {
  const executable = program.command?.[0];
  if (!tree || !executable || !path.isAbsolute(executable)) return '-';
  const content = releaseFile(tree, executable, contentAfter);
  if (content === undefined) return '-';
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  const text = runsThroughLink(tree) && isUtf8(bytes);
  return createHash('sha256')
    .update(text ? throughLinkText(bytes.toString(), tree.directory, tree.runFrom) : bytes)
    .digest('hex')
    .slice(0, 32);
}

/**
 * Why the restart hash changed: the configuration files, or only the files the program reads
 * from the release (its application); unknown for a fingerprint recorded without the split.
 */
export function restartCause(
  before: string | null | undefined,
  after: string,
): 'executable' | 'config' | 'reads' | 'unknown' {
  const was = (before ?? '').split(':');
  const now = after.split(':');
  if (executableChanged(was, now)) return 'executable';
  if (was[0] !== FORMAT || was[5] === undefined || now[5] === undefined) return 'unknown';
  return was[5] === now[5] ? 'reads' : 'config';
}

/**
 * A regular file of the release itself (not its var/, not a folder), or undefined; a file the
 * plan's install would write, as it would write it (the plan reads the same as the apply).
 */
function releaseFile(
  tree: TreeOf,
  file: string,
  contentAfter?: (file: string) => Buffer | string | undefined,
): Buffer | string | undefined {
  const where = treeFile(tree, file);
  const inside = path.relative(tree.directory, where);
  if (inside.startsWith('..') || path.isAbsolute(inside) || inside === 'var' || inside.startsWith(`var${path.sep}`))
    return undefined;
  try {
    const after = contentAfter?.(where);
    if (after !== undefined) return after;
    return statSync(where).isFile() ? readFileSync(where) : undefined;
  } catch {
    return undefined;
  }
}

/** The executable's hash differs; a fingerprint recorded before it was part of one compares equal. */
function executableChanged(was: string[], now: string[]): boolean {
  return was[0] === FORMAT && was[6] !== undefined && now[6] !== undefined && was[6] !== now[6];
}

/**
 * What a change of fingerprint asks of a running program: nothing, a reload onto files that moved
 * (same settings), a reload, or a restart. A fingerprint of the older format (one hash of every
 * file) compares with the same hash made now.
 */
export type ConfigChange = 'none' | 'moved' | 'reload' | 'restart';

export function configChange(before: string | null | undefined, after: string, canReload: boolean): ConfigChange {
  if (before === after) return 'none';
  const was = (before ?? '').split(':');
  const now = after.split(':');
  const [format, restart, reload, exact] = was;
  const [, nextRestart, nextReload, nextExact, nextEarlier] = now;
  if (format !== FORMAT) return before === nextEarlier ? 'none' : canReload ? 'reload' : 'restart';
  if (restart !== nextRestart || executableChanged(was, now)) return 'restart';
  if (reload !== nextReload) return 'reload';
  // recorded before the files-alone hash was added: the same files compare equal
  return exact === nextExact ? 'none' : 'moved';
}
