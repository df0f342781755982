/**
 * The download service: one per run, shared by remote `extends` and every recipe.
 * - Cache files are named by the sha256 of the URL (plus a readable tail), so two URLs never share
 *   a slot, not even two ".../download" links.
 * - A download goes to a temporary file beside its cache slot, is verified, flushed, and only then
 *   renamed into place: the cache never holds half a file.
 * - A checksum is verified on every use, cache hits included; a cached copy that fails it is
 *   thrown away and fetched again (offline: reported).
 * - Offline, only the cache is used, and a miss names the URL and the cache file expected.
 * - Local paths and file: URLs are used in place, checksums still verified.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, renameSync, rmSync, statSync, fsyncSync, openSync, closeSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFile, describeChecksum, type Checksum } from './checksum';
import { httpGet } from './http';
import { ZetaError, type SourceLocation } from '../errors/zeta-error';
import type { Logger } from '../output/logger';
import { isUrl } from '../util/url';

export interface DownloadSettings {
  /** The `download-cache` directory; without it downloads go to a temporary directory. */
  cacheDir?: string;
  offline: boolean;
  /** Bound on connect, on waiting for headers, and on any pause in the body. */
  timeoutMs: number;
  /** Extra attempts after a network error or a 5xx answer. */
  retries: number;
  logger: Logger;
}

export interface DownloadRequest {
  url: string;
  checksum?: Checksum;
  /** Sub-directory of the cache (`cmmi`, `extends`, ...). */
  namespace?: string;
  /** Use this cache directory instead of `download-cache` (the extends-cache). */
  cacheDir?: string;
  /** Try the network first and fall back to the cache (buildout's `newest` for extends). */
  preferNetwork?: boolean;
  /** Where the URL was written, for error messages. */
  from?: SourceLocation;
}

export interface DownloadResult {
  path: string;
  fromCache: boolean;
}


/** The cache file name for a URL: sha256 of the whole URL, then a readable tail. */
export function cacheKey(url: string): string {
  const digest = createHash('sha256').update(url).digest('hex');
  const tail = url.split(/[?#]/)[0].split('/').filter(Boolean).pop() ?? 'download';
  return `${digest}-${tail.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80)}`;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function formatBytes(bytes: number): string {
  return bytes >= 1 << 20 ? `${(bytes / (1 << 20)).toFixed(1)} MB` : `${Math.ceil(bytes / 1024)} kB`;
}

export class DownloadService {
  private readonly inFlight = new Map<string, Promise<DownloadResult>>();
  private scratch?: string;

  constructor(readonly settings: DownloadSettings) {}

  /** Fetches a URL (or uses a local path) and returns a verified local file. */
  fetch(request: DownloadRequest): Promise<DownloadResult> {
    const key = `${request.cacheDir ?? ''}\0${request.namespace ?? ''}\0${request.url}\0${request.checksum ? describeChecksum(request.checksum) : ''}`;
    let pending = this.inFlight.get(key);
    if (!pending) {
      pending = this.fetchOnce(request);
      this.inFlight.set(key, pending);
      pending.catch(() => this.inFlight.delete(key));
    }
    return pending;
  }

  /** The cache path a URL would use, or undefined without a cache. */
  cachePath(request: Pick<DownloadRequest, 'url' | 'namespace' | 'cacheDir'>): string | undefined {
    const base = request.cacheDir ?? this.settings.cacheDir;
    if (!base) return undefined;
    return path.join(base, request.namespace ?? '', cacheKey(request.url));
  }

  /**
   * Of these requests, the ones an offline run cannot serve: an http(s) URL with no copy in the
   * download cache (whether a cached copy matches its checksum is checked when it is used).
   */
  missingOffline<T extends DownloadRequest>(requests: T[]): T[] {
    return requests.filter((request) => {
      if (!isUrl(request.url) || request.url.startsWith('file://')) return false;
      const cached = this.cachePath(request);
      return !cached || !existsSync(cached);
    });
  }

  /** The error for a file an offline run needs and the download cache lacks. */
  offlineMiss(request: DownloadRequest, at: { section?: string; option?: string } = {}): ZetaError {
    const cached = this.cachePath(request);
    return new ZetaError('OFFLINE_MISS', `offline mode: ${request.url} is not in the download cache`, {
      location: request.from, ...at,
      details: cached ? [`expected at: ${cached}`] : ['no download-cache is configured'],
      hint: cached ? 'run once without -o (offline) to fill the cache, or copy the file to the path above.' : 'set [buildout] download-cache = DIR and run once online.',
    });
  }

  /** Removes the temporary directory used when there is no download cache. */
  dispose(): void {
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
    this.scratch = undefined;
  }

  private async fetchOnce(request: DownloadRequest): Promise<DownloadResult> {
    const { url } = request;
    if (!isUrl(url) || url.startsWith('file://')) {
      const local = url.startsWith('file://') ? fileURLToPath(url) : url;
      if (!existsSync(local)) {
        throw new ZetaError('DOWNLOAD_FAILED', `${local} does not exist`, { location: request.from, hint: 'check the path, or give an http(s) URL.' });
      }
      await this.verify(local, request, 'local file');
      return { path: local, fromCache: false };
    }
    const cached = this.cachePath(request);
    if (cached && existsSync(cached)) {
      if (request.preferNetwork && !this.settings.offline) {
        try {
          await this.download(request, cached);
          return { path: cached, fromCache: false };
        } catch (error) {
          if (error instanceof ZetaError && error.code === 'CHECKSUM_MISMATCH') throw error;
          this.settings.logger.detail(`using the cached copy of ${url} (${(error as Error).message})`);
        }
      }
      if (await this.matches(cached, request.checksum)) {
        this.settings.logger.debug(`cache hit: ${url}`);
        return { path: cached, fromCache: true };
      }
      if (this.settings.offline) {
        throw new ZetaError('CHECKSUM_MISMATCH', `the cached copy of ${url} does not match its ${request.checksum!.algorithm} checksum`, {
          location: request.from, details: [`cached file: ${cached}`, `expected:    ${describeChecksum(request.checksum!)}`],
          hint: 'run once without -o to fetch it again, or correct the checksum.',
        });
      }
      this.settings.logger.warn(`the cached copy of ${url} fails its checksum; fetching it again`);
      rmSync(cached, { force: true });
    }
    if (this.settings.offline) throw this.offlineMiss(request);
    const target = cached ?? path.join(this.scratchDir(), cacheKey(url));
    await this.download(request, target);
    return { path: target, fromCache: false };
  }

  private scratchDir(): string {
    this.scratch ??= mkdtempSync(path.join(tmpdir(), 'zeta-downloads-'));
    return this.scratch;
  }

  private async matches(file: string, checksum?: Checksum): Promise<boolean> {
    return !checksum || (await hashFile(file, checksum.algorithm)) === checksum.hex;
  }

  private async verify(file: string, request: DownloadRequest, what: string): Promise<void> {
    const { checksum } = request;
    if (!checksum) return;
    const actual = await hashFile(file, checksum.algorithm);
    if (actual !== checksum.hex) {
      throw new ZetaError('CHECKSUM_MISMATCH', `${what} ${request.url} does not match its ${checksum.algorithm} checksum`, {
        location: request.from,
        details: [`expected: ${checksum.hex}`, `received: ${actual}`],
        hint: 'if the new file is the one you want, pin the received checksum; otherwise check the URL.',
      });
    }
  }

  /** Downloads to a temporary file beside `target`, verifies, flushes, renames into place. */
  private async download(request: DownloadRequest, target: string): Promise<void> {
    const { url } = request;
    mkdirSync(path.dirname(target), { recursive: true });
    const part = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.part`;
    const { timeoutMs, retries, logger } = this.settings;
    let lastError: Error | undefined;
    for (let attempt = 0; attempt <= retries; attempt++) {
      if (attempt > 0) await sleep(Math.min(4000, 250 * 2 ** (attempt - 1)));
      try {
        const response = await httpGet(url, timeoutMs);
        if (response.status >= 400) {
          await response.discard();
          const error = new ZetaError('DOWNLOAD_FAILED', `cannot download ${url}: HTTP ${response.status}`, {
            location: request.from, hint: response.status === 404 ? 'check the URL and the version in it.' : 'try again later, or fetch it by hand into the download cache.',
          });
          if (response.status < 500) throw error; // a 4xx will not change on a retry
          lastError = error;
          continue;
        }
        await this.writeBody(url, response.length, response.body, part);
        await this.verify(part, request, 'the download of');
        renameSync(part, target);
        logger.detail(`downloaded ${url}`);
        return;
      } catch (error) {
        rmSync(part, { force: true });
        if (error instanceof ZetaError) throw error; // a checksum mismatch or a 4xx: retrying will not help
        lastError = error as Error;
        logger.detail(`download of ${url} failed (${(error as Error).message})${attempt < retries ? ', retrying' : ''}`);
      }
    }
    if (lastError instanceof ZetaError) throw lastError;
    throw new ZetaError('DOWNLOAD_FAILED', `cannot download ${url}: ${lastError?.message ?? 'unknown error'}`, {
      location: request.from, details: [`tried ${retries + 1} times, waiting at most ${timeoutMs / 1000} s each time`],
      hint: 'check the address and the network, or run with -o (offline) if the file is already in the download cache.',
    });
  }

  private async writeBody(url: string, length: number | undefined, body: AsyncIterable<Buffer>, file: string): Promise<void> {
    const { logger } = this.settings;
    const out = createWriteStream(file, { mode: 0o644 });
    let received = 0;
    const started = Date.now();
    try {
      for await (const chunk of body) {
        received += chunk.length;
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        const share = length ? ` ${Math.floor((100 * received) / length)}%` : '';
        logger.progress(`downloading ${url}  ${formatBytes(received)}${length ? ` of ${formatBytes(length)}` : ''}${share}  ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolve())));
      logger.clearProgress();
    }
    const fd = openSync(file, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    if (length !== undefined && statSync(file).size !== length) {
      throw new Error(`connection closed after ${received} of ${length} bytes`);
    }
  }
}
