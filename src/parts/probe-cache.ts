/**
 * ProbeCache: values recipes work out from files (a daemon's version from its binary, what a
 * Python interpreter has installed), kept in the installed state between runs so that a run where
 * nothing changed does not start a dozen programs just to ask them their version. An entry is
 * used only while every file it was worked out from has the same size, mtime and inode.
 */
import { statSync } from 'node:fs';

export interface ProbeEntry {
  fingerprint: string;
  value: string;
}

function fingerprint(files: string[]): string {
  return files.map((file) => {
    try {
      const info = statSync(file);
      return `${info.size}:${info.mtimeMs}:${info.ino}`;
    } catch {
      return 'missing';
    }
  }).join('|');
}

export class ProbeCache {
  private readonly entries: Record<string, ProbeEntry>;
  /** True when an entry was added or replaced since the cache was read. */
  dirty = false;

  constructor(initial: Record<string, ProbeEntry> = {}) {
    this.entries = { ...initial };
  }

  get(key: string, files: string[], compute: () => string): string {
    const print = fingerprint(files);
    const known = this.entries[key];
    if (known && known.fingerprint === print) return known.value;
    const value = compute();
    this.entries[key] = { fingerprint: print, value };
    this.dirty = true;
    return value;
  }

  toJSON(): Record<string, ProbeEntry> {
    return this.entries;
  }
}
