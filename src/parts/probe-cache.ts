/**
 * ProbeCache: values recipes work out from files (a daemon's version from its binary, what a
 * Python interpreter has installed), kept in the installed state between runs so that a run where
 * nothing changed does not start a dozen programs just to ask them their version. An entry is
 * used only while every file it was worked out from has the same size, mtime and inode. Only
 * the entries this run asked for are saved: an answer nothing asks for any more (a binary the
 * deployment no longer uses, a probe another version of Zetaserver made) is dropped.
 */
import { statSync } from 'node:fs';

export interface ProbeEntry {
  fingerprint: string;
  value: string;
}

function fingerprint(files: string[]): string {
  return files
    .map((file) => {
      try {
        const info = statSync(file);
        return `${info.size}:${info.mtimeMs}:${info.ino}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

export class ProbeCache {
  private readonly entries: Record<string, ProbeEntry>;
  private readonly asked = new Set<string>();
  private added = false;

  constructor(initial: Record<string, ProbeEntry> = {}) {
    this.entries = { ...initial };
  }

  /** True when an entry was added or replaced, or one is left that nothing asked for. */
  get dirty(): boolean {
    return this.added || Object.keys(this.entries).some((key) => !this.asked.has(key));
  }

  get(key: string, files: string[], compute: () => string): string {
    this.asked.add(key);
    const print = fingerprint(files);
    const known = this.entries[key];
    if (known && known.fingerprint === print) return known.value;
    const value = compute();
    this.entries[key] = { fingerprint: print, value };
    this.added = true;
    return value;
  }

  /** The entries this run asked for, as the installed state keeps them. */
  toJSON(): Record<string, ProbeEntry> {
    return Object.fromEntries([...this.asked].map((key) => [key, this.entries[key]]));
  }
}
