/**
 * Start, stop and restart from the panel, one action at a time per program (two clicks do not
 * race), with the same code paths and checks as bin/supervisorctl.
 */
import type { Program } from '../config';
import type { Runtime } from '../runtime';
import { isRunning, preflight, startProgram } from '../start-program';
import { stopProgram } from '../stop-program';

const queues = new Map<string, Promise<unknown>>();

async function run(
  rt: Runtime,
  program: Program,
  action: 'start' | 'stop' | 'restart',
): Promise<{ ok: boolean; message: string }> {
  if (action !== 'start') {
    const stopped = await stopProgram(rt, program);
    if (action === 'stop')
      return {
        ok: true,
        message: stopped.pid
          ? `stopped ${program.name} in ${stopped.ms} ` + `ms${stopped.killed ? ' (SIGKILL)' : ''}`
          : `${program.name} was not running`,
      };
  }
  if (await isRunning(rt, program.name)) return { ok: true, message: `${program.name} is already running` };
  const problem = preflight(program, (await rt.pm2.find(program.name))?.pid);
  if (problem) return { ok: false, message: `${problem.message}${problem.hint ? ` (${problem.hint})` : ''}` };
  try {
    const ms = await startProgram(rt, program);
    return { ok: true, message: `${program.name} ${action === 'start' ? 'started' : 'restarted'}, ready in ${ms} ms` };
  } catch (error) {
    const e = error as Error & { details?: string[] };
    return { ok: false, message: [e.message, ...(e.details ?? [])].join('\n') };
  }
}

export function programAction(
  rt: Runtime,
  program: Program,
  action: 'start' | 'stop' | 'restart',
): Promise<{ ok: boolean; message: string }> {
  const previous = queues.get(program.name) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(() => run(rt, program, action));
  queues.set(program.name, next);
  return next;
}
