/**
 * Stopping one program with its own stop signal (pm2 has one signal for the whole daemon):
 * mark it as wanted stopped (so the agent does not take the exit for a crash), stop its process
 * (stop-process.ts), then let pm2 register the exit and record how it ended. The process is the
 * one pm2 holds, or else the one recorded for the program if it still runs outside pm2 (an
 * orphan of an earlier daemon: orphans.ts), so a stop never leaves a running program behind.
 */
import type { Program } from './config';
import { alive } from './proc-info';
import { LIVE_STATUSES } from './pm2-client';
import type { Runtime } from './runtime';
import { describeExit, exitOf } from './exit-status';
import { stillRunning } from './process-identity';
import { stopProcess, until } from './stop-process';

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
  const recorded = rt.db.recordedProcess(program.name);
  const held = proc && proc.pid > 0 && alive(proc.pid) ? proc.pid : undefined;
  const orphan = !held && stillRunning(recorded) ? recorded!.pid : undefined;
  const pid = held ?? orphan;
  let killed = false;
  if (pid) {
    rt.db.event(
      program.name,
      'stopping',
      `${program.stopSignal} to pid ${pid}${orphan ? ' (running outside pm2)' : ''}`,
    );
    ({ killed } = await stopProcess(rt, program, pid));
  }
  // let pm2 register the exit so its state says stopped, not online
  await until(async () => {
    const now = await rt.pm2.find(program.name);
    return !now || !(LIVE_STATUSES.has(now.pm2_env.status) || now.pm2_env.status === 'stopping');
  }, 3000);
  const after = await rt.pm2.find(program.name);
  if (after && LIVE_STATUSES.has(after.pm2_env.status)) await rt.pm2.stop(program.name);
  // an orphan was not pm2's child (nor ours): its exit status cannot be known
  const exit = orphan ? { code: null, signal: killed ? 'SIGKILL' : null } : exitOf(after);
  if (pid)
    rt.db.setControl(program.name, {
      last_exit_at: Date.now(),
      last_exit_code: exit.code,
      last_exit_signal: exit.signal,
    });
  rt.db.setControl(program.name, { stopping: 0 });
  rt.db.event(
    program.name,
    killed ? 'killed' : 'stopped',
    pid ? `pid ${pid} in ${Date.now() - started} ms (${describeExit(exit)})` : 'was not running',
  );
  return { name: program.name, pid, ms: Date.now() - started, killed };
}
