/**
 * Puts a new build (or unpacked tree) where the working one is, so that a failure never leaves
 * neither: the new one is made beside the old, then swapped in by renames on the same file
 * system. The old one moves aside (`<target>__previous__`), the new one takes its name, the old
 * one is removed. A symlink or file over a symlink or file (a shared build's link) is one atomic
 * rename.
 *
 * A run killed between the two renames leaves the old one aside and nothing at the target;
 * restoreInterrupted() puts it back before the next attempt, so the part keeps working.
 */
import { lstatSync, mkdirSync, readdirSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { InstallContext } from '../../src/recipe';

export function asideOf(target: string): string {
  return `${target}__previous__`;
}

/** Whether anything (a dangling symlink included) is at the path. */
export function present(file: string): boolean {
  try {
    lstatSync(file);
    return true;
  } catch {
    return false;
  }
}

/** Undoes a swap a killed run left half-done; removes a finished one's leftover. */
export function restoreInterrupted(target: string): void {
  const aside = asideOf(target);
  if (!present(aside)) return;
  if (present(target)) rmSync(aside, { recursive: true, force: true });
  else renameSync(aside, target);
}

/** Moves `fresh` to `target`, replacing what is there. */
export function swapInto(fresh: string, target: string): void {
  const aside = asideOf(target);
  rmSync(aside, { recursive: true, force: true });
  // rename replaces a file or a symlink in one step; a directory must move aside first
  if (present(target) && (lstatSync(target).isDirectory() || lstatSync(fresh).isDirectory())) renameSync(target, aside);
  renameSync(fresh, target);
  rmSync(aside, { recursive: true, force: true });
}

/**
 * Registers `location` as the part's (a path its installed version may already own), making
 * the parents it needs so that they are recorded as parents; the location itself is left for
 * the swap to create.
 */
export async function claimPath(ctx: InstallContext, location: string): Promise<void> {
  if (present(location)) {
    ctx.created(location);
    return;
  }
  await ctx.mkdir(location);
  rmdirSync(location);
}

/**
 * What a staged `make install` put outside the build's own directory (`DESTDIR/<inside>`), such
 * as nginx's `--conf-path=/srv/etc/nginx.conf`, goes to its real place, as a direct install would
 * have written it (over what is there; not recorded, as before). `inside` itself is skipped.
 */
export function placeOutside(destdir: string, inside: string): string[] {
  const placed: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const staged = path.join(dir, entry.name);
      const target = path.join('/', path.relative(destdir, staged));
      if (target === inside) continue;
      if (entry.isDirectory()) {
        walk(staged);
        continue;
      }
      mkdirSync(path.dirname(target), { recursive: true });
      rmSync(target, { force: true });
      renameSync(staged, target);
      placed.push(target);
    }
  };
  walk(destdir);
  return placed;
}
