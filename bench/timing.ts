/** Timing helpers for the benchmarks: whole-process runs, interleaved rounds, medians. */
import { spawnSync } from 'node:child_process';

export interface Command {
  label: string;
  argv: string[];
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** The exit status the run must end with (0 unless said; a configuration both sides reject fails). */
  status?: number;
}

/** Runs a command once and returns its wall time in ms (throws when it fails). */
export function timeOnce(command: Command): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(command.argv[0], command.argv.slice(1), {
    cwd: command.cwd,
    env: command.env ?? process.env,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 64 << 20,
  });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== (command.status ?? 0))
    throw new Error(`${command.label} exited ${result.status}: ${result.stderr}`);
  return elapsed;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export interface PairedTimes {
  /** Each command's median time (ms). */
  medians: number[];
  /** The median over rounds of (command i's time / command 0's time) in the same round. */
  ratios: number[];
}

/**
 * Runs the commands interleaved, round by round (so machine noise hits all of them alike), and
 * returns each one's median and its paired ratio: each round's time divided by the first
 * command's time in the same round. Neighbouring runs share the machine's state, so the median
 * of these ratios moves less with a shared machine's load than the ratio of two medians.
 */
export function comparePaired(commands: Command[], rounds: number, warmup = 1): PairedTimes {
  for (let i = 0; i < warmup; i++) for (const c of commands) timeOnce(c);
  const times: number[][] = commands.map(() => []);
  for (let round = 0; round < rounds; round++) commands.forEach((c, i) => times[i].push(timeOnce(c)));
  return {
    medians: times.map(median),
    ratios: times.map((t) => median(t.map((value, round) => value / times[0][round]))),
  };
}

export function envWithout(...names: string[]): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of names) delete env[name];
  return env;
}

export function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows
    .map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '))
    .join('\n');
}
