/**
 * withBuildLock: one builder at a time for a shared build, across processes on the machine. The
 * lock is a directory (mkdir is atomic) holding the owner's pid. A lock whose owner is dead (a
 * killed run) is taken over: it is first renamed aside, and only removed if it still names the
 * dead owner, so two waiters cannot both break it. Others wait, showing who they wait for.
 * (The lock only avoids duplicate work; a half-built directory is never used anyway, because
 * completeness is the manifest, see shared-build.ts.)
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';

interface Owner {
  pid: number;
  host: string;
  since: string;
}

const POLL_MS = 500;
const MAX_WAIT_MS = 2 * 60 * 60 * 1000;
const UNOWNED_GRACE_MS = 30_000; // a lock with no owner file yet is being created right now

function readOwner(lock: string): Owner | undefined {
  try {
    return JSON.parse(readFileSync(path.join(lock, 'owner'), 'utf8')) as Owner;
  } catch {
    return undefined;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isStale(lock: string, owner: Owner | undefined): boolean {
  if (!owner) {
    try {
      return Date.now() - statSync(lock).mtimeMs > UNOWNED_GRACE_MS;
    } catch {
      return false; // gone: just try again
    }
  }
  return owner.host === hostname() && !alive(owner.pid);
}

function breakStale(lock: string, owner: Owner | undefined): void {
  const aside = `${lock}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(lock, aside);
  } catch {
    return; // someone else broke it first
  }
  const moved = readOwner(aside);
  if (moved?.pid === owner?.pid) rmSync(aside, { recursive: true, force: true });
  else {
    try {
      renameSync(aside, lock); // it was a fresh lock, not the stale one: put it back
    } catch {
      rmSync(aside, { recursive: true, force: true });
    }
  }
}

export async function withBuildLock<T>(
  lock: string,
  waiting: (message: string) => void,
  body: () => Promise<T>,
): Promise<T> {
  const started = Date.now();
  mkdirSync(path.dirname(lock), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(
        path.join(lock, 'owner'),
        JSON.stringify({ pid: process.pid, host: hostname(), since: new Date().toISOString() }),
      );
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = readOwner(lock);
    if (isStale(lock, owner)) {
      breakStale(lock, owner);
      continue;
    }
    if (Date.now() - started > MAX_WAIT_MS) {
      throw new Error(
        `gave up waiting for ${lock} (held by pid ${owner?.pid ?? '?'} on ${owner?.host ?? '?'}); if no build ` +
          `is running, remove that directory`,
      );
    }
    waiting(
      `waiting for pid ${owner?.pid ?? '?'}, which is building the same thing ` +
        `(${Math.round((Date.now() - started) / 1000)} s)`,
    );
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
  try {
    return await body();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}
