/**
 * cmmi: configure / make / make install from a source archive, as hexagonit.recipe.cmmi and
 * zc.recipe.cmmi do (both names map here). The options are read in recipes/cmmi/cmmi-options.ts,
 * the steps run in recipes/cmmi/build-steps.ts; this file decides where the build goes:
 *
 * - by default into the part's location (`parts/<name>`), compiling in `<location>__compile__`,
 *   which is removed after a successful build (kept and recorded with keep-compile-dir);
 * - with `shared-builds = DIR`, into a shared directory named by the build key, reused by every
 *   part with the same key on the machine; the location is then a symlink to it.
 *
 * A rebuild (a changed option) never removes the working build first: the new one is built beside
 * it and swapped in at the end (lib/build-swap.ts), so a failed rebuild leaves the old build, its
 * record and the parts using it as they were. A failed build keeps its compile directory for
 * inspection and says where. An unchanged part is never rebuilt (update does nothing, except
 * rebuild a shared build someone deleted).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync } from 'node:fs';
import * as path from 'node:path';
import { defineRecipe, type InstallContext } from '../../src/recipe';
import { readBuildSpec, HOOKS, type BuildSpec } from './cmmi-options';
import { formatTimings, runBuild, type Timings } from './build-steps';
import { isComplete, looksComplete, markComplete } from './shared-build';
import { withBuildLock } from './build-lock';
import { claimPath, placeOutside, present, restoreInterrupted, swapInto } from '../shared/build-swap';

/** hexagonit.recipe.cmmi's options, and zc.recipe.cmmi's (extra_options, patch, patch_options, shared). */
const ACCEPTS = [
  'url',
  'sha256',
  'md5sum',
  'version',
  'configure-command',
  'configure-options',
  'make-binary',
  'make-options',
  'make-targets',
  'jobs',
  'patches',
  'patch-binary',
  'patch-options',
  'environment',
  'environment-section',
  'prefix',
  'source-directory-contains',
  'keep-compile-dir',
  'shared-builds',
  ...HOOKS,
  'extra_options',
  'patch',
  'patch_options',
  'shared',
];

function label(spec: BuildSpec): string {
  return spec.archive.software
    ? `${spec.archive.software.name} ${spec.archive.software.version}`
    : spec.archive.fileName;
}

/** Adds where the compile directory is to a build error (the engine prints `details`). */
function keepForInspection(error: unknown, compileDir: string): void {
  const details = (error as { details?: unknown }).details;
  if (Array.isArray(details) && existsSync(compileDir)) {
    details.push(`compile directory kept for inspection: ${compileDir} (the next build of this part replaces it)`);
  }
}

/** Builds in (or reuses) the shared directory, under its lock. */
async function buildShared(ctx: InstallContext, spec: BuildSpec): Promise<void> {
  const place = spec.shared!;
  await withBuildLock(
    place.lock,
    (message) => ctx.log.step(message),
    async () => {
      if (isComplete(place)) {
        ctx.log.info(
          `reusing the shared build of ${label(spec)}: ${place.dir} (another run built it while this one waited)`,
        );
        return;
      }
      rmSync(place.dir, { recursive: true, force: true }); // a half-built leftover is never used
      const compileDir = `${place.dir}__compile__`;
      let timings: Timings;
      try {
        timings = await runBuild(ctx, spec, place.dir, compileDir);
      } catch (error) {
        rmSync(place.dir, { recursive: true, force: true });
        keepForInspection(error, compileDir);
        throw error;
      }
      if (!spec.keepCompileDir) rmSync(compileDir, { recursive: true, force: true });
      markComplete(place, {
        part: spec.part,
        deployment: ctx.paths.directory,
        url: spec.archive.url,
        checksum: spec.archive.checksum,
        timings,
      });
      ctx.log.info(`built ${label(spec)} into the shared ${place.dir} in ${formatTimings(timings)}`);
    },
  );
}

async function installShared(ctx: InstallContext, spec: BuildSpec): Promise<void> {
  const place = spec.shared!;
  if (isComplete(place)) ctx.log.info(`reusing the shared build of ${label(spec)}: ${place.dir}`);
  else await buildShared(ctx, spec);
  // the part owns only the link: uninstalling it never touches the shared build. A new link
  // replaces the old one in one rename, so the old build stays reachable until then
  restoreInterrupted(spec.location);
  await claimPath(ctx, spec.location);
  const link = `${spec.location}__link__`;
  rmSync(link, { force: true });
  symlinkSync(place.dir, link);
  swapInto(link, spec.location);
}

/**
 * Builds into the location without removing the build that is there: configure gets the final
 * prefix (it is compiled in), make install goes to a staging DESTDIR beside it, and the new
 * build replaces the old one only once every step succeeded. A part with its own prefix installs
 * into that prefix directly (a prefix elsewhere is not this part's to swap).
 */
async function installHere(ctx: InstallContext, spec: BuildSpec): Promise<void> {
  const { location } = spec;
  const compileDir = `${location}__compile__`;
  const staging = spec.prefix === location ? `${location}__staging__` : undefined;
  restoreInterrupted(location);
  if (staging) rmSync(staging, { recursive: true, force: true }); // a killed run's
  await claimPath(ctx, location);
  if (spec.prefix !== location && !existsSync(spec.prefix)) await ctx.mkdir(spec.prefix);
  let timings: Timings;
  try {
    timings = await runBuild(ctx, spec, location, compileDir, staging);
  } catch (error) {
    if (staging) rmSync(staging, { recursive: true, force: true });
    keepForInspection(error, compileDir);
    throw error;
  }
  if (staging) placeStaged(ctx, spec, staging);
  else if (!present(location)) mkdirSync(location, { recursive: true });
  // registered only now: a failed build's compile directory must survive the rollback
  if (spec.keepCompileDir) ctx.created(compileDir);
  else rmSync(compileDir, { recursive: true, force: true });
  ctx.log.info(`built ${label(spec)} in ${formatTimings(timings)}`);
}

/** Swaps the staged build in; says so when the Makefile ignored DESTDIR. */
function placeStaged(ctx: InstallContext, spec: BuildSpec, staging: string): void {
  const built = path.join(staging, spec.location);
  const targets = spec.makeTargets.join(' ') || '(no targets)';
  if (existsSync(built)) {
    swapInto(built, spec.location);
    const outside = placeOutside(staging, spec.location);
    if (outside.length)
      ctx.log.detail(
        `make install also wrote, outside ${spec.location}: ` +
          `${outside.slice(0, 5).join(', ')}${outside.length > 5 ? ', ...' : ''}`,
      );
  } else if (present(spec.location) && readdirSync(spec.location).length) {
    const ignored = `make ${targets} did not use DESTDIR=${staging} and installed into ${spec.location} directly`;
    if (ctx.previousPaths.includes(spec.location))
      ctx.log.warn(
        `${ignored}, over the previous build: a failed rebuild of this part cannot keep the previous build working`,
      );
    else ctx.log.detail(ignored);
  } else {
    mkdirSync(spec.location, { recursive: true });
    ctx.log.warn(`make ${targets} put nothing into ${spec.location}; check make-targets and the prefix the build uses`);
  }
  rmSync(staging, { recursive: true, force: true });
}

export default defineRecipe({
  name: 'cmmi',
  version: '1.0.0',
  // a rebuild happens beside the working build, which stays until the new one is in place
  replacesInPlace: true,
  accepts: ACCEPTS,
  options(ctx) {
    const spec = readBuildSpec(ctx);
    // a complete shared build is reused: its tarball is not needed, offline or not
    const reused = spec.shared && looksComplete(ctx, spec.shared);
    if (!reused) ctx.declareDownload(spec.archive.url, { namespace: 'cmmi', option: 'url' });
    return spec;
  },
  async install(ctx, spec) {
    if (spec.shared) await installShared(ctx, spec);
    else await installHere(ctx, spec);
  },
  async update(ctx, spec) {
    if (spec.shared && !isComplete(spec.shared)) {
      ctx.log.info(`the shared build ${spec.shared.dir} is gone or incomplete; building it again`);
      await buildShared(ctx, spec);
    }
  },
});
