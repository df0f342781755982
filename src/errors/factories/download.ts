/** Errors of the download service: fetching, checksums, the cache, offline mode. */
import { ZetaError, type SourceLocation } from '../zeta-error';
import type { Where } from './text';

/** What a checksum mismatch report needs (src/download/). */
export interface ChecksumMismatch {
  /** "the download of", "local file", "the cached copy of". */
  what: string;
  url: string;
  algorithm: 'sha256' | 'md5';
  expected: string;
  received: string;
  /** The pin's option (sha256, md5sum) and where it is written. */
  where: Where;
  /** Good copies of the URL the download cache keeps (verified before; other pins use them). */
  kept: Array<{ file: string; digest: string; verified?: string }>;
  /** Where a fresh download that did not match was moved. */
  quarantined?: string;
  offline: boolean;
}

/** Errors of the download service. */
export const downloadErrors = {
  /** Offline, a file the run needs is not in the download cache; `cached`: where it would be. */
  offlineMiss(url: string, cached: string | undefined, where: Where): ZetaError {
    return new ZetaError('OFFLINE_MISS', `offline mode: ${url} is not in the download cache`, {
      ...where,
      details: cached ? [`expected at: ${cached}`] : ['no download-cache is configured'],
      hint: cached
        ? 'run once without -o (offline) to fill the cache, or copy the file to the path above.'
        : 'set [buildout] download-cache = DIR and run once online.',
    });
  },
  localFileMissing(file: string, from?: SourceLocation): ZetaError {
    return new ZetaError('DOWNLOAD_FAILED', `${file} does not exist`, {
      location: from,
      hint: 'check the path, or give an http(s) URL.',
    });
  },
  httpStatus(url: string, status: number, from?: SourceLocation): ZetaError {
    return new ZetaError('DOWNLOAD_FAILED', `cannot download ${url}: HTTP ${status}`, {
      location: from,
      hint:
        status === 404
          ? 'check the URL and the version in it.'
          : 'try again later, or fetch it by hand into the download cache.',
    });
  },
  /** Every attempt failed (network, timeout, a short body). */
  fetchFailed(url: string, why: string, attempts: number, timeoutSeconds: number, from?: SourceLocation): ZetaError {
    return new ZetaError('DOWNLOAD_FAILED', `cannot download ${url}: ${why}`, {
      location: from,
      details: [`tried ${attempts} times, waiting at most ${timeoutSeconds} s each time`],
      hint:
        'check the address and the network, or run with -o (offline) ' +
        'if the file is already in the download cache.',
    });
  },
  checksumMismatch(m: ChecksumMismatch): ZetaError {
    const option = m.where.option ?? m.algorithm;
    const pinnedBefore = m.kept.some((copy) => copy.digest === m.received);
    const details = [`expected: ${m.expected} (${option})`, `received: ${m.received}`];
    for (const copy of m.kept) {
      const verified = copy.verified ? `, verified ${copy.verified}` : ', never verified';
      details.push(
        `kept in the download cache: ${copy.file} (${m.algorithm} ${copy.digest}${verified}); ` +
          'deployments that pin it still use it',
      );
    }
    if (m.quarantined) details.push(`this download was moved aside to: ${m.quarantined}`);
    const hint = m.offline
      ? `the download cache holds only other contents of this URL: correct ${option}, ` +
        `or run once without -o (offline) to fetch the file ${option} names.`
      : pinnedBefore
        ? 'the file at this URL is the one the download cache verified before, so the pin is the likely mistake: ' +
          `if you trust the file, write ${option} = ${m.received}; otherwise check the URL.`
        : `if the new file is the one you want, pin the received checksum (${option} = ${m.received}); ` +
          'otherwise check the URL.';
    return new ZetaError('CHECKSUM_MISMATCH', `${m.what} ${m.url} does not match its ${m.algorithm} checksum`, {
      ...m.where,
      option,
      details,
      hint,
    });
  },
  cachedFileCorrupt(url: string, moved: Array<{ file: string; why: string }>, where: Where): ZetaError {
    const message = `offline mode: the download cache's copy of ${url} is corrupt, and there is no other`;
    return new ZetaError('CACHED_FILE_CORRUPT', message, {
      ...where,
      details: moved.map((m) => `moved aside to ${m.file}: ${m.why}`),
      hint:
        'run once without -o (offline) to fetch it again; ' +
        'the moved file is kept for inspection and can be deleted.',
    });
  },
};
