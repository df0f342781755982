/**
 * Files the download cache will not use are moved aside, never deleted: into
 * `<cache>/.quarantine/<namespace>/`, each with a note (`.json`) saying which URL it was, why it
 * was moved and its digests, so an operator can look at what went wrong. Only two kinds go
 * there: a cached file whose bytes no longer give the digest recorded when it was verified, and
 * a fresh download that does not match its pin. The newest few per URL are kept.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { readRecord, recordPath, type Digests } from './cache-record';

const KEPT_PER_URL = 3;

export interface Quarantined {
  /** Where the file is now. */
  file: string;
  why: string;
}

/** The quarantine directory for a cache slot (`<cache>/<namespace>/<key>`) under `cacheRoot`. */
export function quarantineDir(cacheRoot: string, slot: string): string {
  return path.join(cacheRoot, '.quarantine', path.relative(cacheRoot, path.dirname(slot)));
}

function stamp(): string {
  return `${new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${process.pid}`;
}

/** Moves `file` (and its record, if any) aside; returns where it went. */
export function quarantine(
  cacheRoot: string,
  slot: string,
  file: string,
  note: { url: string; why: string; digests?: Digests; expected?: string },
): Quarantined {
  const dir = quarantineDir(cacheRoot, slot);
  mkdirSync(dir, { recursive: true });
  const key = path.basename(slot);
  let target = path.join(dir, `${key}.${stamp()}`);
  for (let n = 2; existsSync(target); n++) target = path.join(dir, `${key}.${stamp()}.${n}`);
  const recorded = readRecord(file);
  renameSync(file, target);
  rmSync(recordPath(file), { force: true });
  writeFileSync(
    `${target}.json`,
    `${JSON.stringify({ ...note, recorded, moved: new Date().toISOString() }, null, 1)}\n`,
  );
  prune(dir, key);
  return { file: target, why: note.why };
}

/** Keeps the newest KEPT_PER_URL quarantined files of one slot (names sort by time). */
function prune(dir: string, key: string): void {
  const files = readdirSync(dir)
    .filter((name) => name.startsWith(`${key}.`) && !name.endsWith('.json'))
    .sort();
  for (const name of files.slice(0, Math.max(0, files.length - KEPT_PER_URL))) {
    rmSync(path.join(dir, name), { force: true });
    rmSync(path.join(dir, `${name}.json`), { force: true });
  }
}
