/**
 * download: fetches an archive (download cache, checksum, offline rules) and extracts it without
 * building anything, as hexagonit.recipe.download does (nginx wants PCRE's source tree, for
 * example); or, with `download-only = true`, just places the file. Extraction follows the
 * archive safety rules of recipes/lib/extract.ts.
 *
 * When the destination does not exist it becomes the part's (removed on uninstall). When it
 * exists, only the entries this part moved into it are recorded; an entry already there is an
 * error, or is left alone with `ignore-existing = true` (and then not removed on uninstall).
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { defineRecipe, type InstallContext, type OptionsContext } from '../src/recipe';
import { ArchiveError, extractArchive } from './lib/extract';
import { sourceArchive, type SourceArchive } from './lib/source-archive';

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
const ACCEPTS = ['url', 'sha256', 'md5sum', 'version', 'destination', 'strip-top-level-dir', 'download-only', 'filename', 'mode', 'ignore-existing', 'hash-name', 'verbosity'];
const specs = new Map<string, DownloadSpec>();

function readSpec(ctx: OptionsContext): DownloadSpec {
  const archive = sourceArchive(ctx);
  const destination = path.resolve(ctx.paths.directory, ctx.options.get('destination')?.trim() || ctx.paths.part(ctx.name));
  const downloadOnly = ctx.options.bool('download-only', false);
  const filename = ctx.options.get('filename')?.trim() || archive.fileName;
  if (filename.includes('/') || filename === '..' || filename === '.') throw ctx.error('filename', `filename must be a plain file name, not ${JSON.stringify(filename)}`, 'the file goes into the destination directory.');
  const modeText = ctx.options.get('mode')?.trim();
  if (modeText && !/^0?[0-7]{3,4}$/.test(modeText)) throw ctx.error('mode', `mode must be an octal file mode such as 0755, not ${JSON.stringify(modeText)}`);
  if (modeText && !downloadOnly) throw ctx.error('mode', 'mode applies to the downloaded file, so only with download-only = true', 'extracted files keep the modes the archive gives them.');
  const strip = ctx.options.bool('strip-top-level-dir', false);
  if (strip && downloadOnly) throw ctx.error('strip-top-level-dir', 'strip-top-level-dir has no meaning with download-only = true (nothing is extracted)');
  ctx.set('location', destination);
  return { archive, destination, strip, downloadOnly, filename, mode: modeText ? Number.parseInt(modeText, 8) : undefined, ignoreExisting: ctx.options.bool('ignore-existing', false) };
}

/** Makes the destination directory (recorded) unless it exists; says whether it is ours. */
async function prepareDestination(ctx: InstallContext, destination: string): Promise<boolean> {
  if (!existsSync(destination)) {
    await ctx.mkdir(destination);
    return true;
  }
  if (!statSync(destination).isDirectory()) throw ctx.error('destination', `destination ${destination} exists and is not a directory`);
  return false;
}

function refuseExisting(ctx: InstallContext, spec: DownloadSpec, target: string): boolean {
  if (!existsSync(target)) return false;
  if (spec.ignoreExisting) {
    ctx.log.detail(`${target} exists already; left alone (ignore-existing)`);
    return true;
  }
  throw ctx.error('destination', `${target} exists already, and this part did not make it`, 'remove it, choose another destination, or set ignore-existing = true to leave existing files alone.');
}

async function placeFile(ctx: InstallContext, spec: DownloadSpec, file: string): Promise<void> {
  await prepareDestination(ctx, spec.destination);
  const target = path.join(spec.destination, spec.filename);
  if (refuseExisting(ctx, spec, target)) return;
  ctx.created(target);
  copyFileSync(file, target);
  chmodSync(target, spec.mode ?? 0o644);
}

/**
 * Moves everything in `from` into `into`, then removes `from`. Into an existing destination,
 * every clash is checked before anything moves, and each moved entry is recorded.
 */
function moveEntries(ctx: InstallContext, spec: DownloadSpec, from: string, into: string, existing: boolean): void {
  const names = readdirSync(from).filter((name) => !existing || !refuseExisting(ctx, spec, path.join(into, name)));
  for (const name of names) {
    if (existing) ctx.created(path.join(into, name));
    renameSync(path.join(from, name), path.join(into, name));
  }
  rmSync(from, { recursive: true, force: true });
}

async function extractInto(ctx: InstallContext, spec: DownloadSpec, file: string): Promise<void> {
  const fresh = await prepareDestination(ctx, spec.destination);
  // a fresh destination is the part's own (recorded): extract right into it. An existing one
  // gets a staging directory inside it, not recorded (it is gone when the part is done, and a
  // recorded path that is gone would reinstall the part every run); a killed run's staging
  // directory is removed by the next run of this part
  const staging = fresh ? spec.destination : path.join(spec.destination, `.zeta-extracting-${ctx.name}`);
  if (!fresh) {
    rmSync(staging, { recursive: true, force: true });
    mkdirSync(staging);
  }
  try {
    const { root } = await extractArchive(file, staging, spec.strip ? 'required' : 'none', spec.archive.fileName);
    if (fresh && root !== staging) {
      // strip: lift the top directory's contents up (renamed first: it may hold its own name)
      const top = path.join(spec.destination, `.zeta-top-${process.pid}`);
      renameSync(root, top);
      moveEntries(ctx, spec, top, spec.destination, false);
    } else if (!fresh) {
      moveEntries(ctx, spec, root, spec.destination, true);
    }
  } catch (error) {
    if (error instanceof ArchiveError) throw ctx.error(error.option, error.message, error.hint);
    throw error;
  } finally {
    if (!fresh) rmSync(staging, { recursive: true, force: true });
  }
}

export default defineRecipe({
  name: 'download',
  version: '1.0.0',
  accepts: ACCEPTS,
  options(ctx) {
    const spec = readSpec(ctx);
    specs.set(ctx.name, spec);
    ctx.declareDownload(spec.archive.url, { namespace: 'download', option: 'url' });
  },
  async install(ctx) {
    const spec = specs.get(ctx.name)!;
    ctx.log.step('download');
    const file = await ctx.download(spec.archive.url, spec.archive.checksum, { namespace: 'download', option: 'url' });
    ctx.log.step(spec.downloadOnly ? 'copy' : 'extract');
    if (spec.downloadOnly) await placeFile(ctx, spec, file);
    else await extractInto(ctx, spec, file);
  },
  // like hexagonit's default (on-update = false): an unchanged part is not fetched again
  async update() {},
});
