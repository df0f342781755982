/**
 * What a run would do to the generated files: each file a part to be (re)installed declared
 * with ctx.output, compared with the file on disk (created, changed: a unified diff, its mode),
 * and the files the installed record had that the new declarations drop (deleted). Diffs are
 * made by jsdiff (the `diff` package) on the real texts, then masked line by line, so a changed
 * password shows as a changed line whose both sides read ********. Reads the disk, writes nothing.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Plan, PlannedPart } from './plan';
import type { InstalledState } from '../state/state';
import type { Masker } from './secrets';

export interface FileChange {
  path: string;
  part: string;
  change: 'created' | 'changed' | 'deleted';
  /** A unified diff (---/+++ headers, @@ hunks), secrets masked; empty for a mode-only change. */
  diff: string;
  added: number;
  removed: number;
  /** Permission bits before and after, when they differ (`0600`). */
  mode?: { from?: string; to?: string };
}

function current(file: string): { text: string; mode: number } | undefined {
  try {
    return { text: readFileSync(file, 'utf8'), mode: statSync(file).mode & 0o7777 };
  } catch {
    return undefined;
  }
}

const octal = (mode: number | undefined): string | undefined =>
  mode === undefined ? undefined : `0${mode.toString(8)}`;

/** jsdiff's patch of two texts, masked, with its counts of added and removed lines. */
export function unifiedDiff(
  file: string,
  before: string,
  after: string,
  masker: Masker,
): { diff: string; added: number; removed: number } {
  // loaded on first use: a no-op plan diffs nothing
  const { structuredPatch } = require('diff') as typeof import('diff');
  const patch = structuredPatch(file, file, before, after, '', '', { context: 3 });
  const lines = [`--- ${file}`, `+++ ${file}`];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith('+')) added++;
      else if (line.startsWith('-')) removed++;
      lines.push(masker.mask(line));
    }
  }
  return { diff: lines.join('\n'), added, removed };
}

export function fileChanges(
  plan: Plan,
  planned: Map<string, PlannedPart>,
  state: InstalledState,
  masker: Masker,
): FileChange[] {
  const changes: FileChange[] = [];
  const declared = new Set<string>();
  for (const step of plan.steps) {
    if (step.action !== 'install' && step.action !== 'reinstall') continue;
    const info = planned.get(step.part)?.info;
    for (const [file, { content, mode }] of info?.outputs ?? []) {
      declared.add(file);
      const disk = current(file);
      const modeChange =
        mode !== undefined && disk && disk.mode !== mode ? { from: octal(disk.mode), to: octal(mode) } : undefined;
      if (disk && disk.text === content && !modeChange) continue;
      const { diff, added, removed } = unifiedDiff(file, disk?.text ?? '', content, masker);
      changes.push({
        path: file,
        part: step.part,
        change: disk ? 'changed' : 'created',
        diff,
        added,
        removed,
        ...(modeChange ? { mode: modeChange } : !disk && mode !== undefined ? { mode: { to: octal(mode) } } : {}),
      });
    }
  }
  const dropped = [...plan.uninstall, ...plan.steps.filter((s) => s.action === 'reinstall').map((s) => s.part)];
  for (const part of dropped) {
    for (const file of state.parts[part]?.outputs ?? []) {
      if (declared.has(file)) continue;
      const disk = current(file);
      if (!disk) continue;
      const { diff, removed } = unifiedDiff(file, disk.text, '', masker);
      changes.push({ path: file, part, change: 'deleted', diff, added: 0, removed });
    }
  }
  return changes;
}
