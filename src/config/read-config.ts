/**
 * Reads one configuration file, local or remote. Remote files go through the download service
 * into the extends-cache, with zc.buildout's rules: offline uses the cache only; `newest` (the
 * default) tries the network first once per run and falls back to the cached copy.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { errors } from '../errors/codes';
import type { SourceLocation } from '../errors/zeta-error';
import type { DownloadService } from '../download/download-service';
import { isUrl } from '../util/url';
import { nearest } from '../util/suggest';
import { decodeConfigText } from './decode-text';

export interface RemoteSettings {
  /** The run's download service, created on first use (it is not needed for local files). */
  downloads?: () => DownloadService;
  extendsCache?: string;
  newest: boolean;
}

function notFoundHint(file: string): string {
  const dir = path.dirname(file);
  if (!existsSync(dir)) return `the directory ${dir} does not exist either.`;
  const candidates = readdirSync(dir).filter((name) => name.endsWith('.cfg'));
  const near = nearest(path.basename(file), candidates);
  return near
    ? `did you mean ${path.join(dir, near)}?`
    : `check the path; it is resolved against the directory of the file that names it.`;
}

/** `where` finds the `extends` line naming the file; called only for an error or a download. */
export async function readConfigText(
  file: string,
  remote: RemoteSettings,
  downloaded: Set<string>,
  where?: () => SourceLocation | undefined,
): Promise<string> {
  if (!isUrl(file)) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8'); // node's fast path; the bytes are read again only to locate a bad one
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') throw errors.configNotFound(file, notFoundHint(file), where?.());
      throw errors.configUnreadable(file, (error as Error).message, where?.());
    }
    return text.includes('\ufffd') ? decodeConfigText(readFileSync(file), file) : text;
  }
  if (!remote.downloads)
    throw errors.configUnreadable(file, 'remote configuration files need the download service', where?.());
  const preferNetwork = remote.newest && !downloaded.has(file);
  const result = await remote.downloads().fetch({
    url: file,
    cacheDir: remote.extendsCache,
    namespace: remote.extendsCache ? '' : 'extends',
    preferNetwork,
    from: where?.(),
  });
  return decodeConfigText(readFileSync(result.path), file);
}
