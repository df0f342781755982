/**
 * Processes of this deployment that live on outside pm2. When pm2's daemon dies (SIGKILL, the
 * OOM killer), its children do not: every program keeps serving, reparented to init. pm2
 * cannot adopt a process it did not spawn, and such a process has lost its logs (its stdout and
 * stderr were pipes to the dead daemon: a write there fails, and may kill it) and its crash
 * restarts. So the process manager finds them from the identities it recorded (pid and start
 * time: process-identity.ts), reports them as running, and stops them by pid with each
 * program's own stop signal and timeout: `supervisorctl stop` and `shutdown` do, and
 * `bin/supervisord` does before it starts everything again under a new daemon.
 */
import { AGENT, type Program, type SupervisorConfig } from './config';
import type { Pm2Process } from './pm2-client';
import type { StateDb } from './state-db';
import { stillRunning } from './process-identity';
import { stopProcess, type Operator } from './stop-process';

export interface Orphan {
  name: string;
  pid: number;
  /** The program's settings (from the configuration, or as started, for a removed one); none for the agent. */
  program?: Program;
}

/** The agent's stop: SIGTERM, then SIGKILL after 5 s (as pm2's kill_timeout for it). */
const AGENT_STOP = { name: AGENT, stopSignal: 'SIGTERM', stopTimeoutMs: 5000, ownProcessGroup: false } as const;

/** Recorded processes still running that pm2 (given its list; empty when its daemon is gone) does not hold. */
export function findOrphans(config: SupervisorConfig, db: StateDb, processes: Pm2Process[]): Orphan[] {
  const held = new Set(processes.map((p) => p.pid).filter((pid) => pid > 0));
  const orphans: Orphan[] = [];
  for (const recorded of db.recordedProcesses()) {
    if (held.has(recorded.pid) || !stillRunning(recorded)) continue;
    const spec = db.control(recorded.name)?.spec;
    const program =
      config.programs.find((p) => p.name === recorded.name) ?? (spec ? (JSON.parse(spec) as Program) : undefined);
    if (program || recorded.name === AGENT) orphans.push({ name: recorded.name, pid: recorded.pid, program });
  }
  return orphans;
}

/** "web1 (pid 4242), web2 (pid 4250) and the agent (pid 4230)". */
export function describeOrphans(orphans: Orphan[]): string {
  const names = orphans.map((o) => (o.program ? `${o.name} (pid ${o.pid})` : `the agent (pid ${o.pid})`));
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}` : names.join('');
}

/**
 * Stops orphans by pid: the programs in reverse priority order, each with its own signal and
 * timeout, then the agent. Records each stop as the program's last exit (its status unknown:
 * it was nobody's child here) and forgets the identity.
 */
export async function stopOrphans(out: Operator, db: StateDb, orphans: Orphan[]): Promise<void> {
  const programs = orphans.filter((o) => o.program).sort((a, b) => b.program!.priority - a.program!.priority);
  for (const orphan of [...programs, ...orphans.filter((o) => !o.program)]) {
    const began = Date.now();
    const settings = orphan.program ?? AGENT_STOP;
    if (orphan.program) db.setControl(orphan.name, { desired: 'stopped', stopping: 1, next_restart_at: null });
    db.event(
      orphan.name,
      'stopping',
      `${settings.stopSignal} to pid ${orphan.pid} (running outside pm2: its daemon is gone)`,
    );
    const { killed } = await stopProcess(out, settings, orphan.pid);
    if (orphan.program)
      db.setControl(orphan.name, {
        stopping: 0,
        last_exit_at: Date.now(),
        last_exit_code: null,
        last_exit_signal: killed ? 'SIGKILL' : null,
      });
    db.event(
      orphan.name,
      killed ? 'killed' : 'stopped',
      `pid ${orphan.pid} in ${Date.now() - began} ms (running outside pm2)`,
    );
    db.forgetProcess(orphan.name);
    out.say(
      `stopped  ${orphan.name.padEnd(16)} ${((Date.now() - began) / 1000).toFixed(2)} ` +
        `s${killed ? '  (SIGKILL)' : ''}  (pid ${orphan.pid}, left running by a pm2 daemon that died)`,
    );
  }
}
