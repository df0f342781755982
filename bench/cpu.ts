/**
 * CPU time spent by process groups, from /proc: what the stack's daemons (all their processes
 * and threads) used during a benchmark run. With wrk's own CPU time this gives the CPU cost of a
 * request, which, unlike requests per second, does not depend on what else the machine is doing.
 */
import { readdirSync } from 'node:fs';
import { statFields } from '../programs/process-manager/proc-info';

const TICKS_PER_SECOND = 100; // getconf CLK_TCK on Linux

/** CPU seconds (user + system) used so far by every live process in these process groups. */
export function groupCpuSeconds(groups: number[]): number {
  const wanted = new Set(groups);
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let fields: string[];
    try {
      fields = statFields(Number(entry));
    } catch {
      continue; // exited meanwhile
    }
    // state(0) ppid(1) pgrp(2) ... utime(11) stime(12)
    if (wanted.has(Number(fields[2]))) ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / TICKS_PER_SECOND;
}
