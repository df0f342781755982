/**
 * How a program ended, said the same way everywhere (status, history, the agent's log, the
 * panel). pm2 records `code || 0`, so a process killed by a signal (SIGKILL, or the kernel's
 * OOM killer, which sends SIGKILL) would read as a clean "exit code 0"; pm2-daemon-hooks.ts
 * keeps the signal as pm2_env.exit_signal, and here a signal always wins over pm2's code.
 */
import type { Pm2Process } from './pm2-client';

export interface ExitStatus {
  /** The exit code, when the process exited by itself; null when a signal ended it or it is unknown. */
  code: number | null;
  /** The signal that ended it (SIGKILL, SIGTERM, ...), when one did. */
  signal: string | null;
}

/** The exit pm2 saw for a process that is no longer running. */
export function exitOf(proc: Pm2Process | undefined): ExitStatus {
  const signal = proc?.pm2_env.exit_signal ?? null;
  if (signal) return { code: null, signal };
  return { code: proc?.pm2_env.exit_code ?? null, signal: null };
}

/** "exit code 3", "killed by SIGKILL", or "exit status unknown" (a process that was not pm2's child). */
export function describeExit(exit: ExitStatus): string {
  if (exit.signal) return `killed by ${exit.signal}`;
  return exit.code === null ? 'exit status unknown' : `exit code ${exit.code}`;
}
