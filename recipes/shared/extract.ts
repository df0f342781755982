/**
 * extractArchive: unpacks a tar archive (plain, gzip, bzip2, xz or zstd, detected by content)
 * into an empty directory, refusing every entry that could land outside it: absolute paths,
 * `..` segments, symlinks or hard links that point out, device files. Refused entries are never
 * written (the check runs before `tar` sees the entry), and any refusal fails the whole
 * extraction naming the entries, so a hostile archive cannot half-install. On failure `target`
 * may hold part of the archive: the caller removes it. Used by the cmmi and download recipes.
 */
import { lstatSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import type { ReadEntry } from 'tar';
import { ArchiveError, detectFormat, openTar, type Exec } from './archive-format';

export { ArchiveError } from './archive-format';

/** `auto`: use the single top-level directory when there is one; `required`: it must exist. */
export type Strip = 'auto' | 'required' | 'none';

export interface Extracted {
  /** Where the contents are: `target`, or its single top-level directory when stripped. */
  root: string;
  /** Number of entries unpacked. */
  entries: number;
}

const posix = path.posix;
const PLAIN: readonly string[] = ['File', 'OldFile', 'ContiguousFile', 'Directory', 'GNUDumpDir'];

function outside(relative: string): boolean {
  return relative === '..' || relative.startsWith('../') || posix.isAbsolute(relative);
}

/** Why an entry may not be unpacked, or undefined when it is fine. */
function refusal(entry: ReadEntry, symlinks: Array<{ entry: string; resolved: string }>): string | undefined {
  const name = entry.path;
  if (posix.isAbsolute(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out of the target with ".."';
  const link = String(entry.linkpath ?? '');
  if (entry.type === 'SymbolicLink') {
    if (posix.isAbsolute(link)) return `is a symlink to the absolute path ${link}`;
    const resolved = posix.normalize(posix.join(posix.dirname(name), link));
    if (outside(resolved)) return `is a symlink pointing outside the target (-> ${link})`;
    symlinks.push({ entry: name, resolved });
    return undefined;
  }
  if (entry.type === 'Link') {
    // a hard link's target is named from the archive's root, not from the entry's directory
    if (posix.isAbsolute(link) || outside(posix.normalize(link)))
      return `is a hard link to a file outside the target (-> ${link})`;
    return undefined;
  }
  return PLAIN.includes(entry.type) ? undefined : `is a ${entry.type} entry, which has no place in a source archive`;
}

function describe(shown: string, problems: string[]): ArchiveError {
  const [first, ...rest] = problems;
  const more = rest.length
    ? ` (and ${rest.length} more: ${rest.slice(0, 4).join('; ')}${rest.length > 4 ? '; ...' : ''})`
    : '';
  return new ArchiveError(
    `archive ${shown} has an unsafe entry, so it was refused: ${first}${more}`,
    'the archive is damaged or hostile; nothing from it was kept. Check the URL and the checksum you pinned.',
  );
}

/** Unpacks `file` into the existing, empty directory `target`; `exec` (ctx.exec) runs a decompressor. */
export async function extractArchive(
  exec: Exec,
  file: string,
  target: string,
  strip: Strip,
  shown = path.basename(file),
): Promise<Extracted> {
  const format = detectFormat(file);
  const source = openTar(exec, file, format, shown);
  const problems: string[] = [];
  const warnings: string[] = [];
  const symlinks: Array<{ entry: string; resolved: string }> = [];
  let entries = 0;
  // tar is loaded when an archive is unpacked, not when the recipe is (annotate loads recipes)
  const { x: untar } = require('tar') as typeof import('tar');
  const unpack = untar({
    cwd: target,
    preserveOwner: false, // root would otherwise chown every file to the packager's uid
    filter: (_name: string, entry: unknown) => {
      const read = entry as ReadEntry;
      const why = refusal(read, symlinks);
      if (why) problems.push(`"${read.path}" ${why}`);
      else entries++;
      // no setuid, setgid or sticky bits: we run as root, and a source tree never needs them
      if (read.mode !== undefined) read.mode &= 0o777;
      return !why;
    },
    onwarn: (code: string, message: string) => {
      if (code !== 'TAR_ENTRY_INFO') warnings.push(`${code}: ${message}`);
    },
  });
  const finished = new Promise<void>((resolve, reject) => {
    unpack.on('error', (error: Error) =>
      reject(
        new ArchiveError(
          `${shown} is not a readable tar archive: ${error.message}`,
          'the file may be damaged; check the URL and its checksum.',
        ),
      ),
    );
    unpack.on('close', () => resolve());
  });
  source.stream.on('error', () => undefined); // reported through source.done
  source.stream.pipe(unpack);
  try {
    await Promise.all([finished, source.done]);
  } catch (error) {
    source.stop();
    throw error;
  }
  if (problems.length) throw describe(shown, problems);
  if (warnings.length)
    throw new ArchiveError(
      `${shown} could not be unpacked completely: ${warnings.slice(0, 3).join('; ')}`,
      'the file may be damaged, or the disk full.',
    );
  if (!entries) throw new ArchiveError(`${shown} is an empty archive`, 'check the URL.');
  return { root: chooseRoot(target, strip, shown, symlinks), entries };
}

function chooseRoot(
  target: string,
  strip: Strip,
  shown: string,
  symlinks: Array<{ entry: string; resolved: string }>,
): string {
  if (strip === 'none') return target;
  const names = readdirSync(target);
  const single = names.length === 1 && lstatSync(path.join(target, names[0])).isDirectory();
  if (!single) {
    if (strip === 'auto') return target;
    throw new ArchiveError(
      `cannot strip the top-level directory of ${shown}: it has ${names.length} entries at its top ` +
        `(${names.slice(0, 5).join(', ')}${names.length > 5 ? ', ...' : ''})`,
      "set strip-top-level-dir = false to keep the archive's layout.",
      'strip-top-level-dir',
    );
  }
  const top = names[0];
  if (strip === 'required') {
    // the top directory is all that is kept: a link out of it would point beside the destination
    const escaping = symlinks.filter((l) => l.resolved !== top && !l.resolved.startsWith(`${top}/`));
    if (escaping.length)
      throw describe(
        shown,
        escaping.map((l) => `"${l.entry}" is a symlink pointing outside the top-level directory`),
      );
  }
  return path.join(target, top);
}
