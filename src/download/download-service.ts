/**
 * The download service: one per run, shared by remote `extends` and every recipe.
 * - Cache files are named by the sha256 of the URL (plus a readable tail), so two URLs never share
 *   a slot, not even two ".../download" links.
 * - A download goes to a temporary file beside its cache slot, is verified, flushed, and only then
 *   renamed into place: the cache never holds half a file.
 * - A checksum is verified on every use, cache hits included. Each cached file has a record of
 *   the digest it was verified with (cache-record.ts): a copy whose bytes no longer give it is
 *   corrupt and is moved to the quarantine, then fetched again (offline: reported); a good copy
 *   that a pin does not match is reported and never touched, since other deployments use it.
 *   A fresh download that does not match is quarantined too (cache-slot.ts, quarantine.ts).
 * - Offline, only the cache is used, and a miss names the URL and the cache file expected.
 * - Local paths and file: URLs are used in place, checksums still verified.
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  fsyncSync,
  openSync,
  closeSync,
  mkdtempSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeChecksum, type Checksum } from './checksum';
import { digestFile, satisfies, type Digests } from './cache-record';
import { hasCopy, scanCache, storeDownload, type CachedCopy } from './cache-slot';
import { quarantine } from './quarantine';
import { downloadErrors } from '../errors/codes';
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
  /** The option that pins the checksum (sha256, md5sum) and where it is written: a mismatch points there. */
  checksumOption?: string;
  checksumFrom?: SourceLocation;
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
      return !cached || !hasCopy(cached);
    });
  }

  /** The error for a file an offline run needs and the download cache lacks. */
  offlineMiss(request: DownloadRequest, at: { section?: string; option?: string } = {}): ZetaError {
    return downloadErrors.offlineMiss(request.url, this.cachePath(request), { location: request.from, ...at });
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
        throw downloadErrors.localFileMissing(local, request.from);
      }
      const digests = await digestFile(local, request.checksum?.algorithm === 'md5');
      if (!satisfies(digests, request.checksum)) throw this.mismatch(request, 'local file', digests, []);
      return { path: local, fromCache: false };
    }
    const slot = this.cachePath(request);
    if (!slot) {
      if (this.settings.offline) throw this.offlineMiss(request);
      const target = path.join(this.scratchDir(), cacheKey(url));
      await this.download(request, target, (part, digests) => {
        if (!satisfies(digests, request.checksum)) throw this.mismatch(request, 'the download of', digests, []);
        renameSync(part, target);
      });
      return { path: target, fromCache: false };
    }
    const root = this.cacheRoot(request)!;
    if (request.preferNetwork && !this.settings.offline && existsSync(slot)) {
      try {
        await this.downloadInto(request, root, slot, []);
        return { path: slot, fromCache: false };
      } catch (error) {
        if (error instanceof ZetaError && error.code === 'CHECKSUM_MISMATCH') throw error;
        this.settings.logger.detail(`using the cached copy of ${url} (${(error as Error).message})`);
      }
    }
    const scan = await scanCache(root, slot, url, request.checksum);
    for (const moved of scan.quarantined)
      this.settings.logger.warn(`the cached copy of ${url} is corrupt (${moved.why}); moved aside to ${moved.file}`);
    if (scan.hit) {
      this.settings.logger.debug(`cache hit: ${url}`);
      return { path: scan.hit, fromCache: true };
    }
    if (this.settings.offline) {
      if (scan.others.length) throw this.mismatch(request, 'the cached copy of', scan.others[0].digests, scan.others);
      if (scan.quarantined.length)
        throw downloadErrors.cachedFileCorrupt(url, scan.quarantined, this.checksumWhere(request));
      throw this.offlineMiss(request);
    }
    await this.downloadInto(request, root, slot, scan.others);
    return { path: slot, fromCache: false };
  }

  private cacheRoot(request: Pick<DownloadRequest, 'cacheDir'>): string | undefined {
    return request.cacheDir ?? this.settings.cacheDir;
  }

  private scratchDir(): string {
    this.scratch ??= mkdtempSync(path.join(tmpdir(), 'zeta-downloads-'));
    return this.scratch;
  }

  /** Where a pin's errors point: the checksum option when the recipe named it, else the URL. */
  private checksumWhere(request: DownloadRequest): { location?: SourceLocation; option?: string } {
    return { location: request.checksumFrom ?? request.from, option: request.checksumOption };
  }

  private mismatch(
    request: DownloadRequest,
    what: string,
    received: Digests,
    kept: CachedCopy[],
    quarantined?: string,
  ): ZetaError {
    const checksum = request.checksum!;
    return downloadErrors.checksumMismatch({
      what,
      url: request.url,
      algorithm: checksum.algorithm,
      expected: checksum.hex,
      received: received[checksum.algorithm] ?? '?',
      where: this.checksumWhere(request),
      quarantined,
      offline: this.settings.offline,
      kept: kept.map((copy) => ({
        file: copy.file,
        digest: copy.digests[checksum.algorithm] ?? '?',
        verified: copy.record?.verified,
      })),
    });
  }

  /**
   * A fresh download into the cache slot. One that does not match its pin is moved to the
   * quarantine and reported with the good copies the cache keeps (`kept`), which stay untouched.
   */
  private async downloadInto(request: DownloadRequest, root: string, slot: string, kept: CachedCopy[]): Promise<void> {
    await this.download(request, slot, (part, digests) => {
      if (!satisfies(digests, request.checksum)) {
        const moved = quarantine(root, slot, part, {
          url: request.url,
          digests,
          why: 'a fresh download that does not match its pin',
          expected: describeChecksum(request.checksum!),
        });
        throw this.mismatch(request, 'the download of', digests, kept, moved.file);
      }
      // a refresh of an unpinned file (remote extends, `newest`) replaces it: no pin can name the old one
      const replaced = storeDownload(
        root,
        slot,
        part,
        request.url,
        digests,
        !request.preferNetwork || !!request.checksum,
      );
      if (replaced)
        this.settings.logger.warn(
          `an unverified copy of ${request.url} in the download cache was moved aside to ${replaced.file}`,
        );
    });
  }

  /**
   * Downloads to a temporary file beside `target`, flushes it, and hands it with its digests to
   * `accept`, which verifies it and moves it into place (or throws; the file is then removed
   * unless accept moved it).
   */
  private async download(
    request: DownloadRequest,
    target: string,
    accept: (part: string, digests: Digests) => void,
  ): Promise<void> {
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
          const error = downloadErrors.httpStatus(url, response.status, request.from);
          if (response.status < 500) throw error; // a 4xx will not change on a retry
          lastError = error;
          continue;
        }
        await this.writeBody(url, response.length, response.body, part);
        accept(part, await digestFile(part, request.checksum?.algorithm === 'md5'));
        logger.detail(`downloaded ${url}`);
        return;
      } catch (error) {
        rmSync(part, { force: true });
        if (error instanceof ZetaError) throw error; // a checksum mismatch or a 4xx: retrying will not help
        lastError = error as Error;
        logger.detail(
          `download of ${url} failed (${(error as Error).message})${attempt < retries ? ', retrying' : ''}`,
        );
      }
    }
    if (lastError instanceof ZetaError) throw lastError;
    const why = lastError?.message ?? 'unknown error';
    throw downloadErrors.fetchFailed(url, why, retries + 1, timeoutMs / 1000, request.from);
  }

  private async writeBody(
    url: string,
    length: number | undefined,
    body: AsyncIterable<Buffer>,
    file: string,
  ): Promise<void> {
    const { logger } = this.settings;
    const out = createWriteStream(file, { mode: 0o644 });
    let received = 0;
    const started = Date.now();
    try {
      for await (const chunk of body) {
        received += chunk.length;
        if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
        const share = length ? ` ${Math.floor((100 * received) / length)}%` : '';
        logger.progress(
          `downloading ${url}  ${formatBytes(received)}${length ? ` of ${formatBytes(length)}` : ''}${share}  ` +
            `${((Date.now() - started) / 1000).toFixed(1)} s`,
        );
      }
    } finally {
      await new Promise<void>((resolve, reject) =>
        out.end((error?: Error | null) => (error ? reject(error) : resolve())),
      );
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
