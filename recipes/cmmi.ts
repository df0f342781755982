/**
 * cmmi: configure / make / make install from a source archive, as hexagonit.recipe.cmmi and
 * zc.recipe.cmmi do (both names map here). The options are read in recipes/lib/cmmi-options.ts,
 * the steps run in recipes/lib/build-steps.ts; this file decides where the build goes:
 *
 * - by default into the part's location (`parts/<name>`), compiling in `<location>__compile__`,
 *   which is removed after a successful build (kept and recorded with keep-compile-dir);
 * - with `shared-builds = DIR`, into a shared directory named by the build key, reused by every
 *   part with the same key on the machine; the location is then a symlink to it.
 *
 * A failed build keeps its compile directory for inspection and says where. An unchanged part is
 * never rebuilt (update does nothing, except rebuild a shared build someone deleted).
 */
import { existsSync, readdirSync, rmdirSync, rmSync, symlinkSync } from 'node:fs';
import { defineRecipe, type InstallContext } from '../src/recipe';
import { readBuildSpec, HOOKS, type BuildSpec } from './lib/cmmi-options';
import { formatTimings, runBuild, type Timings } from './lib/build-steps';
import { isComplete, markComplete } from './lib/shared-build';
import { withBuildLock } from './lib/build-lock';

/** hexagonit.recipe.cmmi's options, and zc.recipe.cmmi's (extra_options, patch, patch_options, shared). */
const ACCEPTS = ['url', 'sha256', 'md5sum', 'version', 'configure-command', 'configure-options', 'make-binary', 'make-options',
  'make-targets', 'jobs', 'patches', 'patch-binary', 'patch-options', 'environment', 'environment-section', 'prefix',
  'source-directory-contains', 'keep-compile-dir', 'shared-builds', ...HOOKS, 'extra_options', 'patch', 'patch_options', 'shared'];

const specs = new Map<string, BuildSpec>();

function label(spec: BuildSpec): string {
  return spec.archive.software ? `${spec.archive.software.name} ${spec.archive.software.version}` : spec.archive.fileName;
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
  await withBuildLock(place.lock, (message) => ctx.log.step(message), async () => {
    if (isComplete(place)) {
      ctx.log.info(`reusing the shared build of ${label(spec)}: ${place.dir} (another run built it while this one waited)`);
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
    markComplete(place, { part: spec.part, deployment: ctx.paths.directory, url: spec.archive.url, checksum: spec.archive.checksum, timings });
    ctx.log.info(`built ${label(spec)} into the shared ${place.dir} in ${formatTimings(timings)}`);
  });
}

async function installShared(ctx: InstallContext, spec: BuildSpec): Promise<void> {
  const place = spec.shared!;
  if (isComplete(place)) ctx.log.info(`reusing the shared build of ${label(spec)}: ${place.dir}`);
  else await buildShared(ctx, spec);
  // the part owns only the link: uninstalling it never touches the shared build
  ctx.created(spec.location);
  rmSync(spec.location, { recursive: true, force: true });
  await ctx.mkdir(spec.location); // registers the parts directory as a parent made for us
  rmdirSync(spec.location);
  symlinkSync(place.dir, spec.location);
}

async function installHere(ctx: InstallContext, spec: BuildSpec): Promise<void> {
  const compileDir = `${spec.location}__compile__`;
  ctx.created(spec.location);
  rmSync(spec.location, { recursive: true, force: true }); // parts/<name> is this part's own
  await ctx.mkdir(spec.location);
  if (spec.prefix !== spec.location && !existsSync(spec.prefix)) await ctx.mkdir(spec.prefix);
  let timings: Timings;
  try {
    timings = await runBuild(ctx, spec, spec.location, compileDir);
  } catch (error) {
    keepForInspection(error, compileDir);
    throw error;
  }
  if (spec.prefix === spec.location && !readdirSync(spec.location).length) {
    ctx.log.warn(`make ${spec.makeTargets.join(' ') || '(no targets)'} put nothing into ${spec.location}; check make-targets and the prefix the build uses`);
  }
  // registered only now: a failed build's compile directory must survive the rollback
  if (spec.keepCompileDir) ctx.created(compileDir);
  else rmSync(compileDir, { recursive: true, force: true });
  ctx.log.info(`built ${label(spec)} in ${formatTimings(timings)}`);
}

export default defineRecipe({
  name: 'cmmi',
  version: '1.0.0',
  accepts: ACCEPTS,
  options(ctx) {
    const spec = readBuildSpec(ctx);
    specs.set(ctx.name, spec);
    // a complete shared build is reused: its tarball is not needed, offline or not
    if (!spec.shared || !isComplete(spec.shared)) ctx.declareDownload(spec.archive.url, { namespace: 'cmmi', option: 'url' });
  },
  async install(ctx) {
    const spec = specs.get(ctx.name)!;
    if (spec.shared) await installShared(ctx, spec);
    else await installHere(ctx, spec);
  },
  async update(ctx) {
    const spec = specs.get(ctx.name)!;
    if (spec.shared && !isComplete(spec.shared)) {
      ctx.log.info(`the shared build ${spec.shared.dir} is gone or incomplete; building it again`);
      await buildShared(ctx, spec);
    }
  },
});
