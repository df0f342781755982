/**
 * withLock: one bin/porter at a time edits a porter's table. The lock is flock(2) on
 * var/porter/NAME/routes.lock, so the kernel drops it when its holder exits, however it exits
 * (no stale lock file to break by guessing). Node has no flock; flock(1) from util-linux takes it
 * on a descriptor this process opened and hands down, and since a flock belongs to the open file,
 * this process holds it after flock(1) has returned, until it closes the file. A lock held past
 * the wait is PORTER_LOCKED; one that cannot be taken at all (its directory cannot be made,
 * flock is missing) is PORTER_LOCK_FAILED: both change nothing.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import * as path from 'node:path';
import { porterErrors } from '../../src/errors/factories/porter';

const TIMED_OUT = 75; // flock's exit status when -w runs out (-E), distinct from its own errors

/** The lock file, opened (its directory made: var/ may have been cleaned since the install). */
function openLockFile(file: string): number {
  try {
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o755 });
    return openSync(file, 'a', 0o644);
  } catch (error) {
    throw porterErrors.lockFailed(file, (error as Error).message);
  }
}

export async function withLock<T>(file: string, timeoutSeconds: number, body: () => Promise<T>): Promise<T> {
  const fd = openLockFile(file);
  try {
    const result = spawnSync(
      'flock',
      ['--exclusive', '--wait', String(timeoutSeconds), '--conflict-exit-code', String(TIMED_OUT), '3'],
      {
        stdio: ['ignore', 'ignore', 'pipe', fd],
        encoding: 'utf8',
        env: {},
        timeout: (timeoutSeconds + 30) * 1000,
      },
    );
    if (result.status === TIMED_OUT) throw porterErrors.locked(file, timeoutSeconds);
    if (result.error || result.status !== 0) {
      const why = result.error?.message ?? result.stderr.trim();
      throw porterErrors.lockFailed(file, `flock (util-linux) failed: ${why}`);
    }
    return await body();
  } finally {
    closeSync(fd); // releases the lock
  }
}
