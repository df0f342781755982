/** Whether a process is alive, for the harness that runs processes of other users (sshd as root). */
import { readFileSync } from 'node:fs';

/** Whether a pid is a live process: a zombie (exited, not yet reaped) counts as gone, unlike `kill -0`. */
export function processAlive(pid: number): boolean {
  try {
    return !/^State:\s+[ZX]/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return false;
  }
}
