/**
 * runBuild: one configure/make/make install from a source archive, into `installDir` (or staged
 * under a DESTDIR), compiling in `compileDir`: download (cache, checksum), extract (safely), find the source directory,
 * patch, hooks, configure, make -jN, make <targets>. Every command is argv, runs in the source
 * directory with the part's environment, appends to one build log, and shows its step (with
 * the elapsed time) on the progress line. Returns how long each step took.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { InstallContext } from '../../src/recipe';
import type { BuildSpec } from './cmmi-options';
import { ArchiveError, extractArchive } from '../shared/extract';
import { replacePath } from './shared-build';

export const BUILD_LOG = 'zetaserver-build.log';

export type Timings = Array<[step: string, seconds: number]>;

/** The directory to build in: the root, or down single-directory levels until `contains` is there. */
function sourceDirectory(ctx: InstallContext, root: string, contains: string | undefined): string {
  if (!contains) return root;
  let dir = root;
  for (let depth = 0; depth < 4; depth++) {
    if (existsSync(path.join(dir, contains))) return dir;
    const names = readdirSync(dir).filter((n) => n !== BUILD_LOG);
    if (names.length !== 1 || !lstatSync(path.join(dir, names[0])).isDirectory()) break;
    dir = path.join(dir, names[0]);
  }
  const option = ctx.options.has('source-directory-contains') ? 'source-directory-contains' : 'configure-command';
  throw ctx.error(
    option,
    `no ${contains} in the unpacked archive (looked in ${root} and the directories it holds alone; it has: ` +
      `${readdirSync(root).slice(0, 8).join(', ')})`,
    'for a build without a configure script set configure-command = none; otherwise set ' +
      'source-directory-contains to a file the source directory has.',
  );
}

/**
 * `destdir`: install with `make <targets> DESTDIR=<destdir>`, so the build lands in
 * `<destdir><installDir>` while its prefix (compiled in) stays installDir; the caller then moves
 * it into place. Hooks write where the build is: a mention of installDir in a hook's words, and
 * ZETA_LOCATION, name that staged copy (ZETA_FINAL_LOCATION is the final path).
 */
export async function runBuild(
  ctx: InstallContext,
  spec: BuildSpec,
  installDir: string,
  compileDir: string,
  destdir?: string,
): Promise<Timings> {
  const timings: Timings = [];
  const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    ctx.log.step(step);
    const result = await work();
    timings.push([step, (Date.now() - started) / 1000]);
    return result;
  };
  // a shared build installs elsewhere than the location: the options' mentions of it follow
  const place = (text: string): string => replacePath(text, spec.location, installDir);
  const archive = await timed('download', () =>
    ctx.download(spec.archive.url, spec.archive.checksum, { namespace: 'cmmi', option: 'url' }),
  );
  rmSync(compileDir, { recursive: true, force: true }); // a previous failed build's, kept for inspection
  mkdirSync(compileDir, { recursive: true });
  let root: string;
  try {
    const extracted = await timed('extract', () =>
      extractArchive(ctx.exec, archive, compileDir, 'auto', spec.archive.fileName),
    );
    root = extracted.root;
  } catch (error) {
    rmSync(compileDir, { recursive: true, force: true }); // nothing worth inspecting in a refused archive
    if (error instanceof ArchiveError) throw ctx.error(error.option, error.message, error.hint);
    throw error;
  }
  const cwd = sourceDirectory(ctx, root, spec.sourceDirectoryContains);
  const env = Object.fromEntries(Object.entries(spec.environment).map(([k, v]) => [k, place(v)]));
  const logFile = path.join(compileDir, BUILD_LOG);
  const run = (argv: string[], step: string, extraEnv: Record<string, string> = {}, where = place) =>
    ctx.exec(argv.map(where), { cwd, env: { ...env, ...extraEnv }, logFile, step });
  const staged = destdir ? path.join(destdir, installDir) : installDir;
  const inStaging = (text: string): string => replacePath(place(text), installDir, staged);
  const hookEnv = {
    ZETA_PART: spec.part,
    ZETA_LOCATION: staged,
    ZETA_FINAL_LOCATION: installDir,
    ZETA_PREFIX: inStaging(spec.prefix),
    ZETA_SOURCE_DIRECTORY: cwd,
    ZETA_COMPILE_DIRECTORY: compileDir,
    ...(destdir ? { ZETA_DESTDIR: destdir } : {}),
  };
  const hooks = async (hook: keyof BuildSpec['hooks']): Promise<void> => {
    for (const argv of spec.hooks[hook]) await timed(hook, () => run(argv, hook, hookEnv, inStaging));
  };
  for (const patch of spec.patches)
    await timed(`patch ${path.basename(patch)}`, () =>
      run([...spec.patchCommand, '-i', patch], `patch ${path.basename(patch)}`),
    );
  await hooks('pre-configure-hook');
  if (spec.configure) {
    const [command] = spec.configure;
    if (command.includes('/') && !path.isAbsolute(command) && !existsSync(path.join(cwd, command))) {
      throw ctx.error(
        'configure-command',
        `${command} is not in the source directory ${cwd} (it has: ${readdirSync(cwd).slice(0, 8).join(', ')})`,
        'for a Makefile-only build (haproxy) set configure-command = none and give the make options.',
      );
    }
    await timed('configure', () => run(spec.configure!, 'configure'));
  }
  await hooks('pre-make-hook');
  const parallel = spec.makeOptions.some((o) => /^-j\d*$|^--jobs/.test(o)) ? [] : [`-j${spec.jobs}`];
  await timed('make', () => run([...spec.make, ...parallel, ...spec.makeOptions], 'make'));
  if (spec.makeTargets.length) {
    // named by its targets alone: `install`, not the PREFIX=... assignments beside it
    const step = `make ${spec.makeTargets.filter((t) => !t.includes('=')).join(' ')}`.trim();
    await timed(step, () =>
      run([...spec.make, ...spec.makeOptions, ...spec.makeTargets, ...(destdir ? [`DESTDIR=${destdir}`] : [])], step),
    );
  }
  await hooks('post-make-hook');
  return timings;
}

export function formatTimings(timings: Timings): string {
  const total = timings.reduce((sum, [, s]) => sum + s, 0);
  return `${total.toFixed(1)} s (${timings
    .filter(([, s]) => s >= 0.05)
    .map(([step, s]) => `${step} ${s.toFixed(1)} s`)
    .join(', ')})`;
}
