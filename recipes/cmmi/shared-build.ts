/**
 * Shared builds (opt-in `shared-builds = DIR`, in [buildout] or in the part): a build is installed
 * once into `DIR/<software>-<version>-<key>` and every part, in any deployment on the machine,
 * whose build key is the same links its location to it instead of building again.
 *
 * - Atomic: `<dir>.json` (the manifest) is written, by rename, only after the build succeeded.
 *   A directory without it is half-built (a failed or killed run) and is never used: the next
 *   builder removes it and starts again.
 * - Owned by no deployment: a part records only its symlink, so uninstalling the part (or the
 *   whole deployment) never deletes a shared build. Removing old builds is the operator's call.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import type { OptionsContext } from '../../src/recipe';
import type { SourceArchive } from '../shared/source-archive';

export interface SharedPlace {
  root: string;
  /** The install directory (the build's prefix). */
  dir: string;
  /** Written last: its presence means the build in `dir` is complete. */
  manifest: string;
  /** Held (a directory) while building. */
  lock: string;
  key: string;
}

const OFF: readonly string[] = ['', 'false', 'no', 'off', 'none'];

/** Replaces the path `from` (as a whole path, not a prefix of a longer name) with `to`. */
export function replacePath(text: string, from: string, to: string): string {
  if (from === to) return text;
  const escaped = from.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return text.replace(new RegExp(`${escaped}(?![A-Za-z0-9._-])`, 'g'), to);
}

/** zc.recipe.cmmi's `shared`: a directory, or true for `<download-cache>/cmmi/build`. */
function zcShared(ctx: OptionsContext): string | undefined {
  const value = ctx.options.get('shared')?.trim();
  if (value === undefined || !['true', 'yes', 'on'].includes(value.toLowerCase())) return value;
  if (!ctx.section('buildout').has('download-cache')) {
    throw ctx.error(
      'shared',
      'shared = true puts builds under the download cache, and [buildout] has no download-cache',
      'set download-cache, or give shared a directory.',
    );
  }
  return path.join(ctx.substitute('${buildout:download-cache}'), 'cmmi', 'build');
}

/** Where this build would be shared, or undefined when sharing is off for the part. */
export function sharedBuildPlace(
  ctx: OptionsContext,
  key: string,
  archive: SourceArchive,
  customPrefix: boolean,
): SharedPlace | undefined {
  const own = ctx.options.get('shared-builds') ?? zcShared(ctx);
  // read through a reference, so changing [buildout] shared-builds reinstalls the part
  const inherited =
    own === undefined && ctx.section('buildout').has('shared-builds')
      ? ctx.substitute('${buildout:shared-builds}')
      : undefined;
  const value = (own ?? inherited ?? '').trim();
  if (OFF.includes(value.toLowerCase())) return undefined;
  if (customPrefix) {
    if (own !== undefined)
      throw ctx.error(
        'prefix',
        `[${ctx.name}] sets both prefix and shared-builds`,
        'a shared build is installed into the shared directory; remove prefix (or shared-builds).',
      );
    ctx.warn(
      `[${ctx.name}] sets its own prefix, so it is built on its own, not shared (shared-builds applies to ` +
        `builds installed into their location)`,
    );
    return undefined;
  }
  const root = path.resolve(ctx.paths.directory, value);
  const label = archive.software ? `${archive.software.name}-${archive.software.version}` : ctx.name;
  const dir = path.join(root, `${label.replace(/[^A-Za-z0-9._+-]/g, '_')}-${key.slice(0, 16)}`);
  return { root, dir, manifest: `${dir}.json`, lock: `${dir}.lock`, key };
}

/**
 * Whether the options phase sees a complete build there: the directory and its manifest (both
 * named by the key). A look, not a dependency: a build that appears later changes nothing.
 */
export function looksComplete(ctx: OptionsContext, place: SharedPlace): boolean {
  return ctx.stat(place.dir)?.kind === 'directory' && ctx.stat(place.manifest)?.kind === 'file';
}

/** Whether a complete build with this key is there (at install: the manifest must name the key). */
export function isComplete(place: SharedPlace): boolean {
  if (!existsSync(place.dir)) return false;
  try {
    return (JSON.parse(readFileSync(place.manifest, 'utf8')) as { key?: string }).key === place.key;
  } catch {
    return false;
  }
}

/** Marks the build complete: the manifest appears atomically, after everything else. */
export function markComplete(place: SharedPlace, details: Record<string, unknown>): void {
  const temporary = `${place.manifest}.${process.pid}.tmp`;
  const manifest = { key: place.key, completed: new Date().toISOString(), host: hostname(), ...details };
  writeFileSync(temporary, `${JSON.stringify(manifest, null, 2)}\n`);
  renameSync(temporary, place.manifest);
}
