/**
 * One URL's place in the download cache: its slot (`<cache>/<namespace>/<key>`), holding the
 * copy verified last, and alternates beside it (`<key>.sha256-<digest>`) holding other verified
 * contents of the same URL (the file changed upstream, and deployments pin either version).
 *
 * - scanCache finds a copy that satisfies the request's pin. Every copy with a record is checked
 *   against its own recorded digest first: one that fails is corrupt and is quarantined; one
 *   that passes but does not match the pin is good, stays where it is, and is reported.
 * - storeDownload puts a verified download into the slot; a verified copy already there (another
 *   content) moves to its alternate first, so no deployment's file is ever replaced.
 */
import { existsSync, readdirSync, renameSync } from 'node:fs';
import * as path from 'node:path';
import type { Checksum } from './checksum';
import {
  digestFile,
  intact,
  readRecord,
  recordPath,
  satisfies,
  writeRecord,
  type CacheRecord,
  type Digests,
} from './cache-record';
import { quarantine, type Quarantined } from './quarantine';

export interface CachedCopy {
  file: string;
  digests: Digests;
  /** Undefined for a file put there by hand or by an older version (never verified). */
  record?: CacheRecord;
}

export interface CacheScan {
  hit?: string;
  /** Copies that are what their record says, but not what this request pins. */
  others: CachedCopy[];
  quarantined: Quarantined[];
}

export function alternatePath(slot: string, sha256: string): string {
  return `${slot}.sha256-${sha256}`;
}

function alternates(slot: string): string[] {
  const dir = path.dirname(slot);
  const prefix = `${path.basename(slot)}.sha256-`;
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.startsWith(prefix) && /^[0-9a-f]{64}$/.test(name.slice(prefix.length)))
    .map((name) => path.join(dir, name));
}

/** Whether the cache has any copy of this URL (the slot or an alternate). */
export function hasCopy(slot: string): boolean {
  return existsSync(slot) || alternates(slot).length > 0;
}

export async function scanCache(cacheRoot: string, slot: string, url: string, checksum?: Checksum): Promise<CacheScan> {
  const scan: CacheScan = { others: [], quarantined: [] };
  // without a pin only the slot counts: it holds what was fetched last
  const candidates = [slot, ...(checksum ? alternates(slot) : [])].filter((file) => existsSync(file));
  for (const file of candidates) {
    const record = readRecord(file);
    const digests = await digestFile(file, checksum?.algorithm === 'md5');
    if (record && !intact(digests, record)) {
      scan.quarantined.push(
        quarantine(cacheRoot, slot, file, {
          url,
          digests,
          why:
            `its bytes no longer match the sha256 recorded when it was verified (${record.sha256}, ` +
            `${record.size} bytes; now ${digests.sha256}, ${digests.size} bytes)`,
        }),
      );
      continue;
    }
    if (satisfies(digests, checksum)) {
      // a copy put there by hand is adopted once a pin vouches for it
      if (!record && checksum) writeRecord(file, url, digests);
      scan.hit = file;
      return scan;
    }
    scan.others.push({ file, digests, record });
  }
  return scan;
}

/**
 * Moves a verified download (`part`, beside the slot) into the slot, with its record. A copy
 * already in the slot is never lost: a verified one moves to its alternate, an unverified one
 * (no record: nobody can tell what it is) to the quarantine. Without `keepPrevious` (a remote
 * `extends` refreshed by `newest`: nothing can pin it) the new file simply replaces the old.
 */
export function storeDownload(
  cacheRoot: string,
  slot: string,
  part: string,
  url: string,
  digests: Digests,
  keepPrevious = true,
): Quarantined | undefined {
  let moved: Quarantined | undefined;
  if (existsSync(slot) && keepPrevious) {
    const current = readRecord(slot);
    if (current && current.sha256 !== digests.sha256) {
      const alternate = alternatePath(slot, current.sha256);
      renameSync(recordPath(slot), recordPath(alternate));
      renameSync(slot, alternate);
    } else if (!current) {
      moved = quarantine(cacheRoot, slot, slot, {
        url,
        why: 'an unverified copy (no record) was in the slot a verified download now takes',
      });
    }
  }
  renameSync(part, slot);
  writeRecord(slot, url, digests);
  return moved;
}
