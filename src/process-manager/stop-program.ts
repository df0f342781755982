/**
 * Stopping one program with its own stop signal (pm2 has one signal for the whole daemon):
 * mark it as wanted stopped (so the agent does not take the exit for a crash), signal the main
 * process (daemons with ownProcessGroup manage their workers) or its whole process group, say
 * whom we wait for, and SIGKILL the group when its stop timeout passes.
 */
import { connect } from 'node:net';
import type { Address } from '../recipe';
import type { Program } from './config';
import { alive } from './proc-info';
import { LIVE_STATUSES } from './pm2-client';
import type { Runtime } from './runtime';
import { describeExit, exitOf } from './exit-status';

function signal(pid: number, name: NodeJS.Signals, group: boolean): void {
  try {
    process.kill(group ? -pid : pid, name);
  } catch {
    // a group signal fails when the leader changed its group: fall back to the process
    try { process.kill(pid, name); } catch { /* already gone */ }
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, onTick?: (ms: number) => void): Promise<boolean> {
  const started = Date.now();
  let lastTick = 0;
  for (;;) {
    if (await check()) return true;
    const ms = Date.now() - started;
    if (ms >= timeoutMs) return false;
    if (onTick && ms - lastTick >= 500) { lastTick = ms; onTick(ms); }
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

export interface StopResult {
  name: string;
  pid?: number;
  ms: number;
  killed: boolean;
}

export async function stopProgram(rt: Runtime, program: Program): Promise<StopResult> {
  const started = Date.now();
  rt.db.setControl(program.name, { desired: 'stopped', stopping: 1, next_restart_at: null });
  const proc = await rt.pm2.find(program.name);
  const pid = proc && proc.pid > 0 && alive(proc.pid) ? proc.pid : undefined;
  let killed = false;
  if (pid) {
    const stopSignal = program.stopSignal as NodeJS.Signals;
    signal(pid, stopSignal, !program.ownProcessGroup);
    if (program.stopWake) wake(program.stopWake);
    rt.db.event(program.name, 'stopping', `${stopSignal} to pid ${pid}`);
    const exited = await until(() => !alive(pid), program.stopTimeoutMs, (ms) => rt.progress(
      `waiting for ${program.name} (pid ${pid}) to exit after ${stopSignal}: ${(ms / 1000).toFixed(1)} s of ${(program.stopTimeoutMs / 1000).toFixed(1)} s, then SIGKILL`));
    if (!exited) {
      rt.progress('');
      rt.say(`${program.name} (pid ${pid}) did not exit within ${(program.stopTimeoutMs / 1000).toFixed(1)} s after ${stopSignal}: sending SIGKILL`);
      signal(pid, 'SIGKILL', true);
      killed = true;
      await until(() => !alive(pid), 5000);
    }
    // leftovers of a program that was not in charge of its own children
    if (groupAlive(pid)) {
      await until(() => !groupAlive(pid), program.ownProcessGroup ? program.stopTimeoutMs : 1000);
      if (groupAlive(pid)) signal(pid, 'SIGKILL', true);
    }
    rt.progress('');
  }
  // let pm2 register the exit so its state says stopped, not online
  await until(async () => {
    const now = await rt.pm2.find(program.name);
    return !now || !(LIVE_STATUSES.has(now.pm2_env.status) || now.pm2_env.status === 'stopping');
  }, 3000);
  const after = await rt.pm2.find(program.name);
  if (after && LIVE_STATUSES.has(after.pm2_env.status)) await rt.pm2.stop(program.name);
  const exit = exitOf(await rt.pm2.find(program.name));
  if (pid) rt.db.setControl(program.name, { last_exit_at: Date.now(), last_exit_code: exit.code, last_exit_signal: exit.signal });
  rt.db.setControl(program.name, { stopping: 0 });
  rt.db.event(program.name, killed ? 'killed' : 'stopped', pid ? `pid ${pid} in ${Date.now() - started} ms (${describeExit(exit)})` : 'was not running');
  return { name: program.name, pid, ms: Date.now() - started, killed };
}
