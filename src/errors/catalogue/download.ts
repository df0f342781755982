/** Codes of the download service and its cache. */
import { EXIT, type CodeEntry } from './status';

const { refused } = EXIT;

export const downloadCodes = {
  DOWNLOAD_FAILED: {
    status: refused,
    meaning: 'a URL (or a local file named as one) could not be fetched: HTTP error, network failure, no such file',
    hint: 'check the URL and the network, or run with -o (offline) if the file is already in the download cache.',
  },
  CHECKSUM_MISMATCH: {
    status: refused,
    meaning: 'a download, a local file or a cached copy does not match the checksum its part pins',
    hint: 'if the file is the one you want, pin the received checksum; otherwise check the URL.',
  },
  CACHED_FILE_CORRUPT: {
    status: refused,
    meaning: "offline, the download cache's only copy of a URL is corrupt (it was moved aside)",
    hint: 'run once without -o (offline) to fetch it again.',
  },
  OFFLINE_MISS: {
    status: refused,
    meaning: 'offline, a file the run needs is not in the download cache (plan reports it as a warning)',
    hint: 'run once without -o (offline) to fill the cache, or set [buildout] download-cache = DIR.',
  },
} satisfies Record<string, CodeEntry>;
