/**
 * Files and directories of a service in the tree, owned by the user the daemon runs as.
 *
 * Two kinds: generated files (configs, scripts) are written with ctx.writeFile, so they are
 * recorded and removed on uninstall; run, data and log places (var/<part>/, a datadir, a log
 * file) are made directly and never recorded, so a reinstall keeps the database and the logs.
 * When the assembler runs as root both are handed to the daemon's user (a daemon started as
 * nobody must write its pid file and read its 0600 config); otherwise everything stays the
 * invoking user's, which is also who the daemons will run as.
 */
import { chownSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import * as path from 'node:path';
import type { InstallContext } from '../../src/recipe';
import { isRoot, type SystemUser } from './users';

function chownTo(file: string, owner: SystemUser | undefined): void {
  if (owner && isRoot()) chownSync(file, owner.uid, owner.gid);
}

/** A run or data directory (and missing parents): not recorded, so reinstalls keep its contents. */
export function ensureDirectory(dir: string, owner?: SystemUser, mode = 0o755): void {
  // missing parents (var/ itself) stay traversable by everyone; only the leaf gets `mode`
  mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  if (!existsSync(dir)) mkdirSync(dir, { mode });
  chownTo(dir, owner);
}

/** A log (or other data) file the daemon appends to itself: made if missing, never recorded. */
export function ensureFile(file: string, owner?: SystemUser, mode = 0o640): void {
  ensureDirectory(path.dirname(file));
  closeSync(openSync(file, 'a', mode));
  chownTo(file, owner);
}

/** A generated file (recorded), then given to the daemon's user. */
export async function writeOwnedFile(ctx: InstallContext, file: string, text: string, mode: number, owner?: SystemUser): Promise<string> {
  await ctx.writeFile(file, text, { mode });
  chownTo(file, owner);
  return file;
}
