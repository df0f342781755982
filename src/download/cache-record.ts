/**
 * What the download cache knows of each file it holds: a record beside it,
 * `<file>.verified.json`, with the size and sha256 (and md5, for md5 pins) its bytes had when
 * they were verified (a download that matched its pin, or the first use that matched one). The
 * record is what tells a corrupt file (its bytes no longer give its own recorded digest) from a
 * good file that another deployment's pin does not match; only the first is ever moved out of
 * the cache.
 */
import { existsSync, readFileSync } from 'node:fs';
import type { Checksum } from './checksum';
import { writeFileAtomic } from '../util/atomic-write';

export interface Digests {
  size: number;
  sha256: string;
  /** Only when an md5 pin asks for it (it would more than double the hashing time). */
  md5?: string;
}

export interface CacheRecord extends Digests {
  url: string;
  /** When the bytes were verified (ISO 8601). */
  verified: string;
}

export function recordPath(file: string): string {
  return `${file}.verified.json`;
}

/** The record of a cached file, or undefined when it has none (or an unreadable one). */
export function readRecord(file: string): CacheRecord | undefined {
  const where = recordPath(file);
  if (!existsSync(where)) return undefined;
  try {
    const record = JSON.parse(readFileSync(where, 'utf8')) as CacheRecord;
    return /^[0-9a-f]{64}$/.test(record.sha256) && Number.isInteger(record.size) ? record : undefined;
  } catch {
    return undefined; // written atomically: an unreadable record was not written by us
  }
}

export function writeRecord(file: string, url: string, digests: Digests): CacheRecord {
  const record: CacheRecord = { url, ...digests, verified: new Date().toISOString() };
  writeFileAtomic(recordPath(file), `${JSON.stringify(record, null, 1)}\n`);
  return record;
}

/** Size and sha256 of a file (and its md5 when asked), in one read. */
export function digestFile(file: string, withMd5 = false): Promise<Digests> {
  // loaded on first use: most runs verify nothing, and these modules cost start-up time
  const { createHash } = require('node:crypto') as typeof import('node:crypto');
  const { createReadStream } = require('node:fs') as typeof import('node:fs');
  return new Promise((resolve, reject) => {
    const sha256 = createHash('sha256');
    const md5 = withMd5 ? createHash('md5') : undefined;
    let size = 0;
    createReadStream(file)
      .on('data', (chunk) => {
        size += chunk.length;
        sha256.update(chunk);
        md5?.update(chunk);
      })
      .on('error', reject)
      .on('end', () => resolve({ size, sha256: sha256.digest('hex'), ...(md5 ? { md5: md5.digest('hex') } : {}) }));
  });
}

/** Whether bytes with these digests satisfy a pin (anything does when there is none). */
export function satisfies(digests: Digests, checksum?: Checksum): boolean {
  return !checksum || digests[checksum.algorithm] === checksum.hex;
}

/** Whether the bytes are still those the record was made for. */
export function intact(digests: Digests, record: CacheRecord): boolean {
  return digests.size === record.size && digests.sha256 === record.sha256;
}
