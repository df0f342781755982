/**
 * Where a tree's pm2 daemon keeps its state: a short directory (/tmp/zs-<hash>), since pm2's unix
 * sockets break when PM2_HOME is long, and two deployments must never share a daemon.
 *
 * A nodeset release's var/ is a link to the node's shared var/, the same for every release: the
 * hash is then of that shared place, so the next release's bin/supervisorctl reaches the daemon
 * that the previous one started (and `update` moves its programs over) instead of starting a
 * second daemon that would find every port taken. Any other tree keeps a daemon of its own.
 */
import { createHash } from 'node:crypto';
import { lstatSync, realpathSync } from 'node:fs';
import * as path from 'node:path';

function sharedVar(directory: string): string | undefined {
  const link = path.join(directory, 'var');
  try {
    return lstatSync(link).isSymbolicLink() ? realpathSync(link) : undefined;
  } catch {
    return undefined;
  }
}

export function pm2HomeOf(directory: string, part: string): string {
  const shared = sharedVar(directory);
  const key = shared ? `shared:${shared}\0${part}` : `${directory}\0${part}`;
  return `/tmp/zs-${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;
}
