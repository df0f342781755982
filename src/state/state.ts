/**
 * The installed state (.installed.json): per part its resolved options, its recipe's identity
 * and version, the contents of the files it depends on, the paths it created, and the programs it
 * declared. Written atomically after every part. A journal beside it names the part being
 * installed and every path registered so far, so a run killed at any moment can be rolled back
 * by the next one.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import type { ProgramSpec } from '../recipe';
import { writeFileAtomic } from '../util/atomic-write';
import { engineErrors } from '../errors/codes';

export const STATE_FORMAT = 1;

export interface PartRecord {
  recipe: string;
  /** Recipe identity: builtin:NAME or npm:PACKAGE@VERSION:ENTRY. */
  identity: string;
  version: string;
  options: Record<string, string>;
  inputs: Record<string, string>;
  /** Values of other sections' options it read (`section:option` -> value). */
  reads: Record<string, string>;
  /** Paths it owns: removed (recursively) on uninstall. */
  paths: string[];
  /** Directories made only to hold its files: removed on uninstall when empty. */
  parents: string[];
  programs: ProgramSpec[];
  /** What derived options stand for (ctx.set's explain), secrets masked: plan diffs them. */
  explain?: Record<string, Record<string, string>>;
  /** Options its recipe marked secret (ctx.secret): masked when the part is gone or changed. */
  secrets?: string[];
  /** The files install wrote that options() declared (ctx.output): plan reports those dropped. */
  outputs?: string[];
  installedAt: string;
}

export interface InstalledState {
  format: number;
  /** Parts in the order they were installed. */
  order: string[];
  parts: Record<string, PartRecord>;
  /** What recipes worked out from files (see probe-cache.ts). */
  probes?: Record<string, { fingerprint: string; value: string }>;
}

export interface Journal {
  part: string;
  /** replace: a reinstall that keeps the installed part's paths until it succeeds. */
  mode: 'install' | 'update' | 'replace';
  paths: string[];
  parents: string[];
}

export function emptyState(): InstalledState {
  return { format: STATE_FORMAT, order: [], parts: {} };
}

export function readState(file: string): InstalledState {
  if (!existsSync(file)) return emptyState();
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw engineErrors.stateCorrupt(file, (error as Error).message);
  }
  const state = data as InstalledState;
  if (
    typeof state !== 'object' ||
    state === null ||
    state.format !== STATE_FORMAT ||
    !Array.isArray(state.order) ||
    typeof state.parts !== 'object'
  ) {
    throw engineErrors.stateCorrupt(file, `it is not a format ${STATE_FORMAT} state file`);
  }
  for (const name of state.order) {
    const record = state.parts[name];
    if (!record || typeof record.options !== 'object' || !Array.isArray(record.paths))
      throw engineErrors.stateCorrupt(file, `the record of part "${name}" is incomplete`);
    record.programs ??= [];
    record.inputs ??= {};
    record.reads ??= {};
    record.parents ??= [];
  }
  return state;
}

export function writeState(file: string, state: InstalledState): void {
  if (!state.order.length) {
    rmSync(file, { force: true }); // nothing installed: no state, as buildout does
    return;
  }
  // 0600: the state records every resolved option, [passwords] included
  writeFileAtomic(file, `${JSON.stringify(state, null, 1)}\n`, 0o600);
}

export function journalFile(stateFile: string): string {
  return `${stateFile}.journal`;
}

export function readJournal(stateFile: string): Journal | undefined {
  const file = journalFile(stateFile);
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Journal;
  } catch {
    return undefined; // a journal is written atomically; an unreadable one holds nothing to undo
  }
}

export function writeJournal(stateFile: string, journal: Journal): void {
  writeFileAtomic(journalFile(stateFile), JSON.stringify(journal));
}

export function clearJournal(stateFile: string): void {
  rmSync(journalFile(stateFile), { force: true });
}
