/**
 * haproxy's server-state file (var/<part>/servers.state). The process manager fills it just
 * before a reload and empties it once the new worker answers; haproxy warns (and the assembly
 * check would fail) when the file it names is missing or has no version line, so install makes
 * an empty one: the format's version and no server.
 */
import { statSync, writeFileSync } from 'node:fs';
import type { SystemUser } from '../shared/users';
import { ensureFile } from '../shared/tree';

export function ensureStateFile(file: string, owner?: SystemUser): void {
  ensureFile(file, owner, 0o644);
  if (statSync(file).size === 0) writeFileSync(file, '1\n');
}
