/**
 * Why a running program must restart, in words: which of the settings that make up its process
 * changed, old -> new. Settings a running process never reads again (its readiness check, its
 * priority, the next hop it forwards to, the files the assembler checks access to) are not part
 * of its identity: a change to them alone restarts nothing, and a daemon whose upstream list
 * changed takes the new list from its configuration file by reload.
 */
import type { Program } from './config';

/** Fields of a program that the running process does not depend on. */
const NOT_IDENTITY = new Set<string>([
  'part',
  'type',
  'priority',
  'listen',
  'upstream',
  'ready',
  'readyTimeoutMs',
  'stopSignal',
  'stopTimeoutMs',
  'stopWake',
  'reload',
  'configFiles',
  'reads',
  'writes',
  'accessUser',
  'logs',
  'balancer',
  'autostart',
  'startSecs',
]);

/** Environment keys whose values are never printed. */
const SECRET_KEY = /pass|secret|key|token|pwd|credential|auth/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key);
}

/**
 * What identifies a program's process: two programs with the same identity need no restart. A
 * key whose value is undefined counts as absent: the spec recorded at start went through JSON,
 * which drops it, while the configuration's own program (as plan reads it) may keep it.
 */
export function identityOf(program: Program): string {
  const kept = Object.entries(program)
    .filter(([key, value]) => !NOT_IDENTITY.has(key) && value !== undefined)
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(kept);
}

/** The words that differ between two argvs: `-s malloc,128M -> -s malloc,256M`, with one word of context. */
export function commandChange(before: string[], after: string[]): string {
  let start = 0;
  while (start < before.length && start < after.length && before[start] === after[start]) start += 1;
  let end = 0;
  while (
    end < before.length - start &&
    end < after.length - start &&
    before[before.length - 1 - end] === after[after.length - 1 - end]
  )
    end += 1;
  const from = Math.max(0, start - 1);
  const words = (argv: string[]): string => argv.slice(from, argv.length - end).join(' ') || '(nothing)';
  return `${words(before)} -> ${words(after)}`;
}

function environmentChanges(before: Record<string, string>, after: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  const shown = (key: string, value: string | undefined): string =>
    value === undefined ? '(unset)' : isSecretKey(key) ? '********' : JSON.stringify(value);
  return keys
    .filter((key) => before[key] !== after[key])
    .map((key) =>
      isSecretKey(key)
        ? `its environment variable ${key} changed (a secret: its values are not shown)`
        : `its environment variable ${key} changed: ${shown(key, before[key])} -> ${shown(key, after[key])}`,
    );
}

function shortValue(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

/** Each identity setting that differs, in words (empty when the identity is the same). */
export function restartReasons(before: Program, after: Program): string[] {
  const reasons: string[] = [];
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => !NOT_IDENTITY.has(k)).sort();
  for (const key of keys) {
    const a = (before as unknown as Record<string, unknown>)[key];
    const b = (after as unknown as Record<string, unknown>)[key];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (key === 'command') reasons.push(`its command line changed: ${commandChange(before.command, after.command)}`);
    else if (key === 'environment')
      reasons.push(...environmentChanges(before.environment ?? {}, after.environment ?? {}));
    else if (key === 'user') reasons.push(`its user changed: ${shortValue(a)} -> ${shortValue(b)}`);
    else reasons.push(`its ${key} changed: ${shortValue(a)} -> ${shortValue(b)}`);
  }
  return reasons;
}
