/**
 * Stopping one process by its pid with a program's own stop settings, without asking pm2 (so it
 * also stops a program whose pm2 daemon is gone): its stop signal to the main process (daemons
 * that manage their own workers) or to its whole process group, the optional wake-up
 * connection, a wait of at most its stop timeout while saying whom it waits for, then SIGKILL to
 * the group, and a last look for leftovers of its group.
 */
import { connect } from 'node:net';
import type { Address } from '../../src/recipe';
import type { Program } from './config';
import { alive, groupHasLiveMember } from './proc-info';
import type { Runtime } from './runtime';

/** What stopping needs of the runtime: no pm2. */
export type Operator = Pick<Runtime, 'say' | 'progress'>;

export function signal(pid: number, name: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, name);
  } catch {
    // a group signal fails when the leader changed its group: fall back to the process
    try {
      process.kill(pid, name);
    } catch {
      /* already gone */
    }
  }
}

export async function until(
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  onTick?: (ms: number) => void,
): Promise<boolean> {
  const started = Date.now();
  let lastTick = 0;
  for (;;) {
    if (await check()) return true;
    const ms = Date.now() - started;
    if (ms >= timeoutMs) return false;
    if (onTick && ms - lastTick >= 500) {
      lastTick = ms;
      onTick(ms);
    }
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One connection opened and closed (see ProgramSpec.stopWake); its outcome does not matter. */
function wake(address: Address): void {
  const socket = connect({ host: address.host, port: address.port, timeout: 1000 });
  socket.on('connect', () => socket.destroy());
  socket.on('timeout', () => socket.destroy());
  socket.on('error', () => socket.destroy());
}

type StopSettings = Pick<Program, 'name' | 'stopSignal' | 'stopTimeoutMs' | 'ownProcessGroup' | 'stopWake'>;

/** Signals and waits; returns whether SIGKILL was needed. */
export async function stopProcess(out: Operator, program: StopSettings, pid: number): Promise<{ killed: boolean }> {
  const stopSignal = program.stopSignal as NodeJS.Signals;
  signal(pid, stopSignal, !program.ownProcessGroup);
  if (program.stopWake) wake(program.stopWake);
  let killed = false;
  const exited = await until(
    () => !alive(pid),
    program.stopTimeoutMs,
    (ms) =>
      out.progress(
        `waiting for ${program.name} (pid ${pid}) to exit after ${stopSignal}: ${(ms / 1000).toFixed(1)} s of ` +
          `${(program.stopTimeoutMs / 1000).toFixed(1)} s, then SIGKILL`,
      ),
  );
  if (!exited) {
    out.progress('');
    out.say(
      `${program.name} (pid ${pid}) did not exit within ${(program.stopTimeoutMs / 1000).toFixed(1)} s after ` +
        `${stopSignal}: sending SIGKILL`,
    );
    signal(pid, 'SIGKILL', true);
    killed = true;
    await until(() => !alive(pid), 5000);
  }
  // leftovers of a program that was not in charge of its own children
  if (groupHasLiveMember(pid)) {
    await until(() => !groupHasLiveMember(pid), program.ownProcessGroup ? program.stopTimeoutMs : 1000);
    if (groupHasLiveMember(pid)) signal(pid, 'SIGKILL', true);
  }
  out.progress('');
  return { killed };
}
