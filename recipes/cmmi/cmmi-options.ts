/**
 * readBuildSpec: the cmmi recipe's options phase. Reads and checks every option (errors point at
 * the option), and derives what the build needs as plain data: the argv of each step, the
 * environment, the patches, and the build key, a sha256 over everything that decides what the
 * build produces (archive, checksum, commands, options, patch contents, environment). The key
 * names shared builds; references to the part's own location are replaced by a placeholder in
 * it, so the same build in another deployment (another location) has the same key.
 */
import { availableParallelism } from 'node:os';
import * as path from 'node:path';
import type { Hash } from 'node:crypto';
import type { OptionsContext } from '../../src/recipe';
import { splitCommands, splitWords, WordsError } from '../shared/command-words';
import { buildEnvironment } from './build-environment';
import { sourceArchive, type SourceArchive } from '../shared/source-archive';
import { replacePath, sharedBuildPlace, type SharedPlace } from './shared-build';

export const HOOKS = ['pre-configure-hook', 'pre-make-hook', 'post-make-hook'] as const;
export type Hook = (typeof HOOKS)[number];

export interface BuildSpec {
  part: string;
  archive: SourceArchive;
  /** parts/<name>: what other parts reference (a symlink to the shared build when shared). */
  location: string;
  /** Where `make install` puts things (the location unless `prefix` says otherwise). */
  prefix: string;
  configure?: string[];
  /** `--prefix=<prefix>` is added (configure is autoconf's and the options do not set one). */
  injectPrefix: boolean;
  make: string[];
  makeOptions: string[];
  makeTargets: string[];
  jobs: number;
  patchCommand: string[];
  patches: string[];
  environment: Record<string, string>;
  hooks: Record<Hook, string[][]>;
  sourceDirectoryContains?: string;
  keepCompileDir: boolean;
  key: string;
  shared?: SharedPlace;
}

function words(ctx: OptionsContext, option: string, fallback = ''): string[] {
  try {
    return splitWords(ctx.options.get(option) ?? fallback);
  } catch (error) {
    if (error instanceof WordsError) throw ctx.error(option, `${option}: ${error.message}`, error.hint);
    throw error;
  }
}

function hooks(ctx: OptionsContext): Record<Hook, string[][]> {
  const out = {} as Record<Hook, string[][]>;
  for (const hook of HOOKS) {
    const text = ctx.options.get(hook) ?? '';
    if (/\.py:\w+\s*$/.test(text.trim())) {
      throw ctx.error(
        hook,
        `${hook} = ${text.trim()} is a Python hook (hexagonit's file.py:function), which cannot run here`,
        `write the command(s) to run instead, one per line, e.g. ${hook} = sh -c 'sed -i s/foo/bar/ Makefile'`,
      );
    }
    try {
      out[hook] = splitCommands(text);
    } catch (error) {
      if (error instanceof WordsError) throw ctx.error(hook, `${hook}: ${error.message}`, error.hint);
      throw error;
    }
  }
  return out;
}

function patches(ctx: OptionsContext): Array<{ file: string; sha256: string }> {
  return [...ctx.options.lines('patches'), ...ctx.options.lines('patch')].map((entry) => {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry)) {
      throw ctx.error(
        'patches',
        `patches are local files; ${entry} is a URL`,
        'fetch it with a download part (download-only = true) and name the file: ${patch-part:location}/fix.patch',
      );
    }
    const file = path.resolve(ctx.paths.directory, entry);
    const patch = ctx.readInput(file);
    if (!patch) {
      throw ctx.error(
        'patches',
        `patch file ${file} does not exist`,
        'a relative path is relative to the buildout directory.',
      );
    }
    return { file, sha256: createHash('sha256').update(patch.bytes).digest('hex') };
  });
}

function prefixOption(ctx: OptionsContext, location: string): string {
  const given = ctx.options.get('prefix')?.trim();
  return given ? path.resolve(ctx.paths.directory, given) : location;
}

export function readBuildSpec(ctx: OptionsContext): BuildSpec {
  const location = ctx.paths.part(ctx.name);
  ctx.set('location', location);
  const archive = sourceArchive(ctx);
  const prefix = prefixOption(ctx, location);
  const configureText = (ctx.options.get('configure-command') ?? './configure').trim();
  const configure = ['', 'none', 'true'].includes(configureText)
    ? undefined
    : words(ctx, 'configure-command', './configure');
  // zc.recipe.cmmi's names too: extra_options (appended), patch, patch_options
  const configureOptions = [...words(ctx, 'configure-options'), ...words(ctx, 'extra_options')];
  const injectPrefix =
    !!configure &&
    path.basename(configure[0]) === 'configure' &&
    !configureOptions.some((o) => o === '--prefix' || o.startsWith('--prefix='));
  const contains =
    ctx.options.get('source-directory-contains')?.trim() ||
    (configure && configure[0].startsWith('./') ? configure[0].slice(2) : undefined);
  const makeTargets = ctx.options.has('make-targets') ? words(ctx, 'make-targets') : ['install'];
  const patchList = patches(ctx);
  const environment = Object.fromEntries(buildEnvironment(ctx));
  const spec: Omit<BuildSpec, 'key' | 'shared'> = {
    part: ctx.name,
    archive,
    location,
    prefix,
    configure: configure && [...configure, ...(injectPrefix ? [`--prefix=${prefix}`] : []), ...configureOptions],
    injectPrefix,
    make: words(ctx, 'make-binary', 'make'),
    makeOptions: words(ctx, 'make-options'),
    makeTargets,
    jobs: ctx.options.int('jobs', availableParallelism(), { min: 1, max: 512 }),
    patchCommand: [
      ...words(ctx, 'patch-binary', 'patch'),
      ...words(ctx, ctx.options.has('patch-options') ? 'patch-options' : 'patch_options', '-p0'),
    ],
    patches: patchList.map((p) => p.file),
    environment,
    hooks: hooks(ctx),
    sourceDirectoryContains: contains,
    keepCompileDir: ctx.options.bool('keep-compile-dir', false),
  };
  if (!spec.make.length) throw ctx.error('make-binary', 'make-binary is empty', 'leave it out to use make.');
  const inputs = buildInputs(
    spec,
    patchList.map((p) => p.sha256),
  );
  const key = buildKey(inputs, spec.location);
  ctx.set('build-key', key, { explain: explainInputs(inputs) });
  const shared = sharedBuildPlace(ctx, key, archive, prefix !== location);
  ctx.set('compile-directory', `${shared ? shared.dir : location}__compile__`);
  if (shared) ctx.set('shared-build', shared.dir);
  return { ...spec, key, shared };
}

/** What decides the build's result, by name: hashed into the key, and what the plan shows of it. */
function buildInputs(spec: Omit<BuildSpec, 'key' | 'shared'>, patchHashes: string[]) {
  return {
    recipe: 'cmmi/1',
    url: spec.archive.url,
    checksum: spec.archive.checksum,
    prefix: spec.prefix,
    configure: spec.configure ?? null,
    make: spec.make,
    makeOptions: spec.makeOptions,
    makeTargets: spec.makeTargets,
    patchCommand: spec.patchCommand,
    patches: patchHashes,
    environment: Object.entries(spec.environment).sort(([a], [b]) => a.localeCompare(b)),
    hooks: spec.hooks,
    sourceDirectoryContains: spec.sourceDirectoryContains ?? null,
    keepCompileDir: spec.keepCompileDir,
  };
}

/** The key's inputs as named values (ctx.set's explain): a changed key reads as what changed. */
function explainInputs(inputs: ReturnType<typeof buildInputs>): Record<string, string> {
  const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));
  return Object.fromEntries(Object.entries(inputs).map(([name, value]) => [name, shown(value)]));
}

/** sha256 over what decides the build's result; the part's own location becomes "@LOCATION@". */
function buildKey(inputs: ReturnType<typeof buildInputs>, location: string): string {
  const text = replacePath(JSON.stringify(inputs), location, '@LOCATION@');
  return createHash('sha256').update(text).digest('hex');
}

/** node:crypto is loaded on first use: annotate loads this module and hashes nothing. */
function createHash(algorithm: 'sha256'): Hash {
  return (require('node:crypto') as typeof import('node:crypto')).createHash(algorithm);
}
