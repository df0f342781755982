/**
 * Files and directories of a service in the tree, owned by the user the daemon runs as.
 *
 * Two kinds: generated files (configs, scripts) are written with ctx.writeFile, so they are
 * recorded and removed on uninstall; run, data and log places (var/<part>/, a datadir, a log
 * file) are made directly and never recorded, so a reinstall keeps the database and the logs.
 * When the assembler runs as root both are handed to the daemon's user (a daemon started as
 * its user must write its pid file and read its 0600 config); otherwise everything stays the
 * invoking user's, which is also who the daemons will run as. Modes are set explicitly, not left
 * to the assembler's umask: a 0700 var/ would lock every service out of its files.
 */
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  lchownSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
} from 'node:fs';
import * as path from 'node:path';
import type { InstallContext } from '../../src/recipe';
import { isRoot, type SystemUser } from './users';

function chownTo(file: string, owner: SystemUser | undefined, gid = owner?.gid): void {
  if (owner && isRoot()) chownSync(file, owner.uid, gid!);
}

/** Everything below `dir` to the owner (not following links): a directory taken over from another user. */
function chownBelow(dir: string, uid: number, gid: number): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    lchownSync(full, uid, gid);
    if (entry.isDirectory()) chownBelow(full, uid, gid);
  }
}

/** Missing parents of a directory, each made 0755 (traversable by every service user). */
function makeParents(dir: string): void {
  if (existsSync(dir)) return;
  makeParents(path.dirname(dir));
  mkdirSync(dir);
  chmodSync(dir, 0o755);
}

export interface DirectoryAccess {
  /** The directory's group instead of the owner's (a socket's clients). */
  gid?: number;
}

/**
 * A run or data directory (and missing parents): not recorded, so reinstalls keep its contents.
 * A new directory gets `mode` (0755 when none is given); an existing one gets it only when it is
 * given. As root it is given to `owner`; when it belonged to another user (the deployment's
 * users changed), everything in it goes along, or the daemon could not use its own data.
 */
export function ensureDirectory(dir: string, owner?: SystemUser, mode?: number, access: DirectoryAccess = {}): void {
  makeParents(path.dirname(dir));
  const created = !existsSync(dir);
  if (created) mkdirSync(dir);
  if (owner && isRoot()) {
    if (lstatSync(dir).uid !== owner.uid) chownBelow(dir, owner.uid, owner.gid);
    chownTo(dir, owner, access.gid ?? owner.gid);
  }
  // after the chown, which may clear a set-group-id bit
  const wanted = mode ?? (created ? 0o755 : undefined);
  if (wanted !== undefined && (statSync(dir).mode & 0o7777) !== wanted) chmodSync(dir, wanted);
}

/** Whether `file` is `dir` or inside it. */
export function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/**
 * Whether `file` is in a place the tree owns: its directory or its var/ (which a nodeset release
 * keeps outside it, in the node's shared directory): there a recipe makes what is missing.
 */
export function isTreePlace(
  file: string,
  paths: { directory: string; variable(...segments: string[]): string },
): boolean {
  return isInside(file, paths.directory) || isInside(file, paths.variable());
}

/** A log (or other data) file the daemon appends to itself: made if missing, never recorded. */
export function ensureFile(file: string, owner?: SystemUser, mode = 0o640): void {
  ensureDirectory(path.dirname(file));
  closeSync(openSync(file, 'a', mode));
  chownTo(file, owner);
}

/** A generated file (recorded), then given to the daemon's user. */
export async function writeOwnedFile(
  ctx: InstallContext,
  file: string,
  text: string,
  mode: number,
  owner?: SystemUser,
): Promise<string> {
  await ctx.writeFile(file, text, { mode });
  chownTo(file, owner);
  return file;
}
