/**
 * Starting one program: checks first (the command exists; its ports are free, or else the error
 * names the process holding them), then pm2 starts the generated wrapper, then we wait for the
 * readiness check. A program that exits or stays unready is reported with its exit code and the
 * last lines of its logs.
 */
import { accessSync, constants } from 'node:fs';
import type { Program } from './config';
import { pm2AppOf } from './ecosystem';
import { alive, portHolders, type ListenTable } from './proc-info';
import { isLive, LIVE_STATUSES, type Pm2Process } from './pm2-client';
import { describeReadiness, waitReady } from './readiness';
import { configFilesHash, specHash, type Runtime } from './runtime';
import { lastLines } from './log-tail';
import type { ZetaError } from '../../src/errors/zeta-error';
import { processManagerErrors } from '../../src/errors/factories/process-manager';
import { trace } from './trace';
import { describeExit, exitOf } from './exit-status';
import { identify, stillRunning } from './process-identity';

/** Problems that mean the program cannot start at all (exit status 2); `own` is its pid when running. */
export function preflight(program: Program, own?: number, listening?: ListenTable): ZetaError | undefined {
  const command = program.command[0];
  try {
    accessSync(command, constants.X_OK);
  } catch {
    return processManagerErrors.commandMissing(program.name, program.part, command);
  }
  for (const address of program.listen) {
    const holders = portHolders(address.port, listening).filter((h) => h.pid !== own);
    if (holders.length) {
      return processManagerErrors.programPortTaken(program.name, program.part, address, holders);
    }
  }
  return undefined;
}

/** Whether the program runs: held by pm2, or its recorded process still alive outside pm2. */
export async function isRunning(rt: Runtime, name: string): Promise<boolean> {
  return isLive(await rt.pm2.find(name)) || stillRunning(rt.db.recordedProcess(name));
}

/** Why a program did not come up, with its exit code and the end of its logs. */
export async function notReadyError(rt: Runtime, program: Program, why: string): Promise<ZetaError> {
  let proc = await rt.pm2.find(program.name);
  // an exit seen in /proc may not have reached pm2's daemon yet: give it a moment for the exit code
  for (let i = 0; i < 20 && proc && LIVE_STATUSES.has(proc.pm2_env.status) && !alive(proc.pid); i++) {
    await new Promise((r) => setTimeout(r, 50));
    proc = await rt.pm2.find(program.name);
  }
  const exit = proc && !LIVE_STATUSES.has(proc.pm2_env.status) ? describeExit(exitOf(proc)) : undefined;
  const logs = [...new Set([program.outLog, program.errLog])].flatMap((file) => {
    const lines = lastLines(file, 10);
    return lines.length ? [`last lines of ${file}:`, ...lines.map((l) => `  ${l}`)] : [`${file}: empty`];
  });
  return processManagerErrors.notReady(program.name, program.part, `${why}${exit ? ` (${exit})` : ''}`, logs);
}

/** Records who runs as the program now (pid and start time), so it is found again without pm2. */
export function recordIdentity(rt: Runtime, name: string, pid: number): void {
  const identity = identify(pid);
  if (identity) rt.db.recordProcess(name, identity);
  else rt.db.forgetProcess(name);
}

/**
 * Starts the program in pm2 and records what it runs with; returns its pid (0: it died at once).
 * `known` is pm2's list from just before, when the caller has one (a group's programs share it:
 * each list is a round trip that also measures every process).
 */
export async function launch(
  rt: Runtime,
  program: Program,
  reason: 'operator' | 'restart',
  known?: Pm2Process[],
): Promise<number> {
  const existing = known ? known.find((p) => p.name === program.name) : await rt.pm2.find(program.name);
  if (existing && isLive(existing)) {
    recordIdentity(rt, program.name, existing.pid);
    return existing.pid;
  }
  const before = rt.db.control(program.name);
  rt.db.setControl(program.name, {
    desired: 'running',
    stopping: 0,
    next_restart_at: null,
    started_at: Date.now(),
    spec: JSON.stringify(program),
    spec_hash: specHash(program),
    config_hash: configFilesHash(rt.config, program),
    ...(reason === 'operator' ? { fatal: null, failures: 0 } : { restarts: (before?.restarts ?? 0) + 1 }),
  });
  // a fresh entry each time: the ecosystem may have changed since pm2 last saw this program
  if (existing) await rt.pm2.delete(program.name);
  const pid = await rt.pm2.start({ ...pm2AppOf(rt.config, program.name) });
  rt.db.event(program.name, reason === 'operator' ? 'start' : 'restart');
  // the pid pm2's start answered with; asking for its list costs a round trip (the first one
  // also measures cpu and memory of every process)
  const running = pid || ((await rt.pm2.find(program.name))?.pid ?? 0);
  recordIdentity(rt, program.name, running);
  return running;
}

/** Launches and waits for readiness; throws NOT_READY (the program is left as it is). */
export async function startProgram(
  rt: Runtime,
  program: Program,
  onWait?: (ms: number) => void,
  known?: Pm2Process[],
): Promise<number> {
  trace(`launching ${program.name}`);
  const pid = await launch(rt, program, 'operator', known);
  trace(`launched ${program.name} (pid ${pid})`);
  const began = Date.now();
  const ticker = onWait && setInterval(() => onWait(Date.now() - began), 100);
  try {
    // liveness from /proc while polling: asking pm2 each time costs a round trip to its daemon
    const outcome = await waitReady(
      program.ready,
      program.readyTimeoutMs,
      async () => pid > 0 && alive(pid),
      program.startSecs ?? 1000,
    );
    if (outcome.ready) {
      rt.db.event(program.name, 'ready', `${outcome.ms} ms`);
      trace(`ready ${program.name}`);
      return outcome.ms;
    }
    const why =
      outcome.why === 'exited'
        ? `exited after ${(outcome.ms / 1000).toFixed(1)} s, before ${describeReadiness(program.ready)} was ready`
        : `was not ready within ${(program.readyTimeoutMs / 1000).toFixed(1)} s: waited for ` +
          `${describeReadiness(program.ready)}`;
    throw await notReadyError(rt, program, why);
  } finally {
    if (ticker) clearInterval(ticker);
  }
}
