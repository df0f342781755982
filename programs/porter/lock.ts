/**
 * withLock: one bin/porter at a time edits a porter's table. The lock is flock(2) on
 * var/porter/NAME/routes.lock, so the kernel drops it when its holder exits, however it exits
 * (no stale lock file to break by guessing). Node has no flock; flock(1) from util-linux takes it
 * on a descriptor this process opened and hands down, and since a flock belongs to the open file,
 * this process holds it after flock(1) has returned, until it closes the file. A lock held past
 * the wait is PORTER_LOCKED and changes nothing.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { porterErrors } from '../../src/errors/factories/porter';

const TIMED_OUT = 75; // flock's exit status when -w runs out (-E), distinct from its own errors

export async function withLock<T>(file: string, timeoutSeconds: number, body: () => Promise<T>): Promise<T> {
  const fd = openSync(file, 'a', 0o644);
  try {
    const result = spawnSync('flock', ['--exclusive', '--wait', String(timeoutSeconds), '--conflict-exit-code', String(TIMED_OUT), '3'], {
      stdio: ['ignore', 'ignore', 'pipe', fd], encoding: 'utf8', env: {}, timeout: (timeoutSeconds + 30) * 1000,
    });
    if (result.status === TIMED_OUT) throw porterErrors.locked(file, timeoutSeconds);
    if (result.error || result.status !== 0) {
      throw new Error(`cannot lock ${file} with flock (util-linux): ${result.error?.message ?? result.stderr.trim()}`);
    }
    return await body();
  } finally {
    closeSync(fd); // releases the lock
  }
}
