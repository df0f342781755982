/**
 * Who a pid is. A pid alone is not an identity: after a process exits the kernel hands its pid
 * to the next one, so a pid recorded yesterday may now be someone else's shell. A process is
 * known by its pid and its start time (field 22 of /proc/PID/stat, clock ticks since boot),
 * which no later process with the same pid can share. The process manager records this for
 * every process it starts, so it can find its programs again when pm2's daemon is gone.
 */
import { statFields } from './proc-info';

export interface ProcessIdentity {
  pid: number;
  /** Start time in clock ticks since boot (/proc/PID/stat field 22). */
  start: number;
}

/** The identity of a live process (undefined when it is gone or a zombie). */
export function identify(pid: number): ProcessIdentity | undefined {
  if (!(pid > 0)) return undefined;
  try {
    const fields = statFields(pid);
    if (fields[0] === 'Z') return undefined;
    return { pid, start: Number(fields[19]) };
  } catch {
    return undefined;
  }
}

/** Whether the process recorded as `identity` is still alive: the same pid with the same start. */
export function stillRunning(identity: ProcessIdentity | undefined): boolean {
  if (!identity) return false;
  return identify(identity.pid)?.start === identity.start;
}
