/**
 * ctx.probe: a program run once in the options phase (a daemon's version, what an interpreter
 * has installed), its output kept in the probe cache (probe-cache.ts, saved in the installed
 * state) until one of the files it depends on changes. The run is synchronous, as the options
 * phase is, argv only, bounded in time; a program that cannot start is an answer too (`error`),
 * kept like any other until its files change.
 */
import type { ProbeOptions, ProbeResult } from '../recipe';
import type { ProbeCache } from './probe-cache';

const DEFAULT_TIMEOUT_MS = 30_000;

function run(argv: string[], options: ProbeOptions): ProbeResult {
  // loaded on first use: a run whose probes are all cached never needs it
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const result = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    ...(options.env ? { env: options.env } : {}),
  });
  const probe: ProbeResult = { code: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '' };
  if (result.error) probe.error = result.error.message;
  return probe;
}

/** The probe's result, from the cache while its files are unchanged; `parse` runs every time. */
export function probe<T>(
  cache: ProbeCache,
  argv: string[],
  parse: (result: ProbeResult) => T,
  options: ProbeOptions = {},
): T {
  if (!argv.length || !argv[0]) throw new Error('ctx.probe was given an empty command');
  const key = `probe ${JSON.stringify({ argv, env: options.env ?? null })}`;
  const answer = cache.get(key, options.files ?? [argv[0]], () => JSON.stringify(run(argv, options)));
  return parse(JSON.parse(answer) as ProbeResult);
}
