/**
 * Where bin/supervisord's time goes: with ZETA_TRACE=1 in its environment it prints one line per
 * step on stderr, in ms since its node process began (`trace 412 ms pm2 daemon connected`).
 * bench/process-manager.ts reads them to split a cold start into node start-up, the pm2 daemon,
 * pm2's round trips and the programs' own readiness waits.
 */
import { performance } from 'node:perf_hooks';

const enabled = !!process.env.ZETA_TRACE;

export function trace(step: string): void {
  if (enabled) process.stderr.write(`trace ${performance.now().toFixed(0)} ms ${step}\n`);
}
