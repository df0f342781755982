/**
 * A point in time as operators write it: `10m`, `2h`, `1d`, `90s` before now, or milliseconds
 * since the epoch (what the history API hands back in `ts`, so a poller passes on the last one).
 * `--since` of `supervisorctl logs` and `?since=` of the APIs read it the same way.
 */
const UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The time in ms since the epoch, or undefined when the text is neither form. */
export function parseSince(text: string, now = Date.now()): number | undefined {
  const relative = /^(\d+(?:\.\d+)?)([smhd])$/.exec(text.trim());
  if (relative) return now - Number(relative[1]) * UNITS[relative[2]];
  if (/^\d+$/.test(text.trim())) return Number(text.trim());
  return undefined;
}
