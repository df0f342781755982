/**
 * download: fetches an archive (download cache, checksum, offline rules) and extracts it without
 * building anything, as hexagonit.recipe.download does (nginx wants PCRE's source tree, for
 * example); or, with `download-only = true`, just places the file. Extraction follows the
 * archive safety rules of recipes/shared/extract.ts.
 *
 * When the destination does not exist it becomes the part's (removed on uninstall). When it
 * exists, only the entries this part moved into it are recorded; an entry already there is an
 * error, or is left alone with `ignore-existing = true` (and then not removed on uninstall).
 * A reinstall never removes the installed tree first: the new one is unpacked beside it and
 * swapped in (lib/build-swap.ts), so a failed reinstall leaves it in place.
 */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { defineRecipe, type InstallContext, type OptionsContext } from '../../src/recipe';
import { ArchiveError, extractArchive } from '../shared/extract';
import { sourceArchive, type SourceArchive } from '../shared/source-archive';
import { claimPath, present, restoreInterrupted, swapInto } from '../shared/build-swap';

interface DownloadSpec {
  archive: SourceArchive;
  destination: string;
  strip: boolean;
  downloadOnly: boolean;
  filename: string;
  mode?: number;
  ignoreExisting: boolean;
}

/** hexagonit.recipe.download's options (hash-name and verbosity accepted, without effect here). */
const ACCEPTS = [
  'url',
  'sha256',
  'md5sum',
  'version',
  'destination',
  'strip-top-level-dir',
  'download-only',
  'filename',
  'mode',
  'ignore-existing',
  'hash-name',
  'verbosity',
];

function readSpec(ctx: OptionsContext): DownloadSpec {
  const archive = sourceArchive(ctx);
  const destination = path.resolve(
    ctx.paths.directory,
    ctx.options.get('destination')?.trim() || ctx.paths.part(ctx.name),
  );
  const downloadOnly = ctx.options.bool('download-only', false);
  const filename = ctx.options.get('filename')?.trim() || archive.fileName;
  if (filename.includes('/') || filename === '..' || filename === '.')
    throw ctx.error(
      'filename',
      `filename must be a plain file name, not ${JSON.stringify(filename)}`,
      'the file goes into the destination directory.',
    );
  const modeText = ctx.options.get('mode')?.trim();
  if (modeText && !/^0?[0-7]{3,4}$/.test(modeText))
    throw ctx.error('mode', `mode must be an octal file mode such as 0755, not ${JSON.stringify(modeText)}`);
  if (modeText && !downloadOnly)
    throw ctx.error(
      'mode',
      'mode applies to the downloaded file, so only with download-only = true',
      'extracted files keep the modes the archive gives them.',
    );
  const strip = ctx.options.bool('strip-top-level-dir', false);
  if (strip && downloadOnly)
    throw ctx.error(
      'strip-top-level-dir',
      'strip-top-level-dir has no meaning with download-only = true (nothing is extracted)',
    );
  ctx.set('location', destination);
  return {
    archive,
    destination,
    strip,
    downloadOnly,
    filename,
    mode: modeText ? Number.parseInt(modeText, 8) : undefined,
    ignoreExisting: ctx.options.bool('ignore-existing', false),
  };
}

/** Whether the destination is this part's own: absent, or recorded by the installed part. */
function ownsDestination(ctx: InstallContext, destination: string): boolean {
  return !present(destination) || ctx.previousPaths.includes(destination);
}

/** An entry already there is an error, or (ignore-existing) skipped; one this part made is replaced. */
function refuseExisting(ctx: InstallContext, spec: DownloadSpec, target: string): boolean {
  if (!present(target) || ctx.previousPaths.includes(target)) return false;
  if (spec.ignoreExisting) {
    ctx.log.detail(`${target} exists already; left alone (ignore-existing)`);
    return true;
  }
  throw ctx.error(
    'destination',
    `${target} exists already, and this part did not make it`,
    'remove it, choose another destination, or set ignore-existing = true to leave existing files alone.',
  );
}

function copyInto(spec: DownloadSpec, file: string, dir: string): void {
  const target = path.join(dir, spec.filename);
  copyFileSync(file, target);
  chmodSync(target, spec.mode ?? 0o644);
}

async function unpack(ctx: InstallContext, spec: DownloadSpec, file: string, into: string): Promise<string> {
  try {
    return (await extractArchive(ctx.exec, file, into, spec.strip ? 'required' : 'none', spec.archive.fileName)).root;
  } catch (error) {
    if (error instanceof ArchiveError) throw ctx.error(error.option, error.message, error.hint);
    throw error;
  }
}

/**
 * The part's own destination: the new tree is made beside it (`<destination>__staging__`, not
 * recorded; a killed run's is removed by the next) and swapped in when complete, so a failed
 * reinstall leaves the installed tree as it was.
 */
async function installOwn(ctx: InstallContext, spec: DownloadSpec, file: string): Promise<void> {
  const staging = `${spec.destination}__staging__`;
  restoreInterrupted(spec.destination);
  rmSync(staging, { recursive: true, force: true });
  await claimPath(ctx, spec.destination);
  mkdirSync(staging);
  try {
    if (spec.downloadOnly) copyInto(spec, file, staging);
    // strip: the top directory itself becomes the destination
    swapInto(spec.downloadOnly ? staging : await unpack(ctx, spec, file, staging), spec.destination);
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/**
 * A destination that exists and is not the part's: the archive is unpacked into a staging
 * directory inside it, every clash is checked before anything moves, and each entry moved in
 * is recorded. An entry the installed part made is replaced by a rename (its old version goes
 * only when the new one is there); a killed run's staging directory is removed by the next.
 */
async function installIntoExisting(ctx: InstallContext, spec: DownloadSpec, file: string): Promise<void> {
  if (!statSync(spec.destination).isDirectory())
    throw ctx.error('destination', `destination ${spec.destination} exists and is not a directory`);
  const staging = path.join(spec.destination, `.zeta-extracting-${ctx.name}`);
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging);
  try {
    if (spec.downloadOnly) copyInto(spec, file, staging);
    const root = spec.downloadOnly ? staging : await unpack(ctx, spec, file, staging);
    const names = readdirSync(root).filter((name) => !refuseExisting(ctx, spec, path.join(spec.destination, name)));
    for (const name of names) {
      const target = path.join(spec.destination, name);
      restoreInterrupted(target);
      ctx.created(target);
      swapInto(path.join(root, name), target);
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

export default defineRecipe({
  name: 'download',
  version: '1.0.0',
  // a reinstall unpacks beside the installed tree, which stays until the new one is complete
  replacesInPlace: true,
  accepts: ACCEPTS,
  options(ctx) {
    const spec = readSpec(ctx);
    ctx.declareDownload(spec.archive.url, { namespace: 'download', option: 'url' });
    return spec;
  },
  async install(ctx, spec) {
    ctx.log.step('download');
    const file = await ctx.download(spec.archive.url, spec.archive.checksum, { namespace: 'download', option: 'url' });
    ctx.log.step(spec.downloadOnly ? 'copy' : 'extract');
    if (ownsDestination(ctx, spec.destination)) await installOwn(ctx, spec, file);
    else await installIntoExisting(ctx, spec, file);
  },
  // like hexagonit's default (on-update = false): an unchanged part is not fetched again
  async update() {},
});
