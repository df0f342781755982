/**
 * The [buildout] options that set up the run's downloads: offline / install-from-cache,
 * download-cache and socket-timeout (the -o and -t flags arrive here as assignments).
 */
import type { Resolver } from '../config/interpolate';
import type { DownloadService } from '../download/download-service';
import { MAX_TIMEOUT, validTimeout } from '../download/timeout';
import { locateOption } from '../config/locate';
import { quoted } from '../errors/codes';
import { optionError } from '../parts/part-options';

/** Applies them to the (lazily created) download service; returns whether the run is offline. */
export function applyDownloadSettings(resolver: Resolver, downloads: () => DownloadService): boolean {
  const offline =
    resolver.get('buildout', 'offline') === 'true' || resolver.get('buildout', 'install-from-cache') === 'true';
  if (offline) downloads().settings.offline = true;
  const cache = resolver.get('buildout', 'download-cache');
  if (cache) downloads().settings.cacheDir = cache;
  const timeout = resolver.get('buildout', 'socket-timeout')?.trim();
  if (timeout) {
    if (!validTimeout(timeout)) {
      const raw = resolver.stateOf('buildout')?.raw.get('socket-timeout');
      throw optionError(
        'buildout',
        'socket-timeout',
        `socket-timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT}, not ${quoted(timeout)}`,
        'for example "socket-timeout = 30" (or -t 30).',
        () => locateOption(raw),
      );
    }
    downloads().settings.timeoutMs = Number(timeout) * 1000;
  }
  return offline;
}
