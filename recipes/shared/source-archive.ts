/**
 * The options every part that fetches a source archive shares (cmmi, download): `url`, its
 * checksum (`sha256`, or `md5sum` for configs carried over from buildout: one is required, so a
 * deployment never builds from an unverified tarball), and the software name and version, read
 * from the archive's name (`nginx-1.22.1.tar.gz`) or given as `version`, reported with
 * ctx.pick so [versions] pins apply to it.
 */
import type { OptionsContext } from '../../src/recipe';

const ARCHIVE_SUFFIX = /\.(?:tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst|tzst|tar|zip)$/i;
const NAME_VERSION = /^(.+?)[-_]v?(\d+(?:\.\d+)+(?:[-.+~]?[A-Za-z0-9]+)*)$/;

export interface SourceArchive {
  url: string;
  /** `sha256:<hex>` or `md5:<hex>`, as ctx.download takes it. */
  checksum: string;
  /** The file name the URL ends with (may be `download` for redirecting links). */
  fileName: string;
  software?: { name: string; version: string };
}

export function archiveFileName(url: string): string {
  return url.split(/[?#]/)[0].split('/').filter(Boolean).pop() ?? 'download';
}

/**
 * `memcached-1.6.18.tar.gz` -> memcached 1.6.18 (also Debian's `memcached_1.6.18.orig.tar.xz`);
 * undefined when the name says nothing.
 */
export function parseArchiveName(fileName: string): { name: string; version: string } | undefined {
  if (!ARCHIVE_SUFFIX.test(fileName)) return undefined;
  const match = NAME_VERSION.exec(fileName.replace(ARCHIVE_SUFFIX, '').replace(/\.orig$/, ''));
  return match ? { name: match[1], version: match[2] } : undefined;
}

function checksum(ctx: OptionsContext): string {
  const sha256 = ctx.options
    .get('sha256')
    ?.trim()
    .toLowerCase()
    .replace(/^sha256:/, '');
  const md5 = ctx.options.get('md5sum')?.trim().toLowerCase().replace(/^md5:/, '');
  if (sha256 && md5)
    throw ctx.error(
      'md5sum',
      `[${ctx.name}] has both sha256 and md5sum`,
      'keep sha256 (md5 is only accepted for old buildout configs) and remove md5sum.',
    );
  if (sha256) {
    if (!/^[0-9a-f]{64}$/.test(sha256))
      throw ctx.error(
        'sha256',
        `sha256 must be 64 hex digits, not ${JSON.stringify(ctx.options.get('sha256'))}`,
        'sha256sum FILE prints it.',
      );
    return `sha256:${sha256}`;
  }
  if (md5) {
    if (!/^[0-9a-f]{32}$/.test(md5))
      throw ctx.error(
        'md5sum',
        `md5sum must be 32 hex digits, not ${JSON.stringify(ctx.options.get('md5sum'))}`,
        'md5sum FILE prints it; better, pin sha256 instead.',
      );
    return `md5:${md5}`;
  }
  throw ctx.error(
    'url',
    `[${ctx.name}] downloads ${ctx.options.get('url')?.trim()} without a checksum`,
    'add "sha256 = <64 hex digits>" (sha256sum FILE prints it; the upstream release page usually lists it), so ' +
      'a changed or tampered archive is refused.',
  );
}

/** Reads and checks url, sha256/md5sum and version; reports the version to [versions]. */
export function sourceArchive(ctx: OptionsContext): SourceArchive {
  const url = ctx.options.required('url').trim();
  if (/\s/.test(url)) throw ctx.error('url', `url must be one URL or path, not ${JSON.stringify(url)}`);
  const fileName = archiveFileName(url);
  const parsed = parseArchiveName(fileName);
  const given = ctx.options.get('version')?.trim();
  let software = parsed;
  if (given) {
    if (parsed && parsed.version !== given)
      ctx.warn(
        `[${ctx.name}] says version = ${given}, but the archive ${fileName} looks like version ${parsed.version}`,
      );
    software = { name: parsed?.name ?? ctx.name, version: given };
  }
  if (software) ctx.pick(software.name, software.version);
  return { url, checksum: checksum(ctx), fileName, software };
}
