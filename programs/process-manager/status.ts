/**
 * The status of every program, from pm2 (pid, uptime, cpu, memory), the database (what the
 * operator wants, crash-loop state, restarts, last exit) and a live readiness probe. The states
 * are supervisord's: STOPPED, STARTING, RUNNING, BACKOFF, STOPPING, EXITED, FATAL. A program
 * whose recorded process still runs outside pm2 (its daemon died: orphans.ts) is running, with
 * `orphan` set: a running program is never reported stopped.
 */
import type { SupervisorConfig } from './config';
import { isLive, type Pm2Process } from './pm2-client';
import type { StateDb } from './state-db';
import { probe } from './readiness';
import { describeExit, exitOf, type ExitStatus } from './exit-status';
import { stillRunning } from './process-identity';
import { residentBytes } from './proc-info';
import { formatBytes, formatDuration } from '../../src/util/units';
import { formatTable } from '../../src/util/text-table';

/** The reason shown for a program running outside pm2. */
export const ORPHAN_REASON =
  'running outside pm2 (the daemon that started it is gone): no crash restarts, and its output has nowhere to go';

export interface StatusRow {
  name: string;
  type: string;
  group: string;
  priority: number;
  state: string;
  pid: number | null;
  uptimeMs: number | null;
  cpu: number | null;
  memory: number | null;
  restarts: number;
  /** The last run's exit code (null when a signal ended it: see lastExitSignal). */
  lastExitCode: number | null;
  lastExitSignal: string | null;
  /** The same in words: "exit code 3", "killed by SIGKILL"; null before the first exit. */
  lastExit: string | null;
  address: string;
  ready: boolean | null;
  /** Running, but not held by pm2: left by a pm2 daemon that died. */
  orphan: boolean;
  /** Why it is FATAL, when the next restart comes (BACKOFF), or that it is an orphan. */
  reason: string | null;
}

export async function collectStatus(
  config: SupervisorConfig,
  processes: Pm2Process[],
  db: StateDb,
): Promise<StatusRow[]> {
  const now = Date.now();
  return Promise.all(
    config.programs.map(async (program): Promise<StatusRow> => {
      const proc = processes.find((p) => p.name === program.name);
      const control = db.control(program.name);
      const recorded = db.recordedProcess(program.name);
      const held = isLive(proc) ? proc!.pid : undefined;
      const pid = held ?? (stillRunning(recorded) ? recorded!.pid : undefined);
      const running = pid !== undefined;
      const orphan = running && !processes.some((p) => p.pid === pid);
      const ready = running ? await probe(program.ready) : null;
      let state = 'STOPPED';
      let reason: string | null = orphan ? ORPHAN_REASON : null;
      if (running) state = control?.stopping ? 'STOPPING' : ready ? 'RUNNING' : 'STARTING';
      else if (control?.fatal) [state, reason] = ['FATAL', control.fatal];
      else if (control?.next_restart_at && control.next_restart_at > now)
        [state, reason] = [
          'BACKOFF',
          `restart in ${((control.next_restart_at - now) / 1000).toFixed(1)} s after ${control.failures} quick exit(s)`,
        ];
      else if (control?.desired === 'running') state = 'EXITED';
      const exit: ExitStatus | null = control?.last_exit_at
        ? { code: control.last_exit_code, signal: control.last_exit_signal }
        : proc && !running && proc.pm2_env.exit_code !== undefined
          ? exitOf(proc)
          : null;
      return {
        name: program.name,
        type: program.type,
        group: program.part ?? '',
        priority: program.priority,
        state,
        pid: pid ?? null,
        uptimeMs:
          held && proc!.pm2_env.pm_uptime
            ? now - proc!.pm2_env.pm_uptime
            : running && control?.started_at
              ? now - control.started_at
              : null,
        cpu: held ? (proc!.monit?.cpu ?? null) : null,
        memory: held ? (proc!.monit?.memory ?? null) : running ? residentBytes(pid!) : null,
        restarts: control?.restarts ?? 0,
        lastExitCode: exit?.code ?? null,
        lastExitSignal: exit?.signal ?? null,
        lastExit: exit ? describeExit(exit) : null,
        address: program.listen.map((a) => `${a.host}:${a.port}`).join(' '),
        ready,
        orphan,
        reason,
      };
    }),
  );
}

export function formatStatus(rows: StatusRow[]): string {
  const header = ['NAME', 'STATE', 'PID', 'UPTIME', 'CPU', 'MEM', 'RESTARTS', 'EXIT', 'ADDRESS', 'READY'];
  const table = rows.map((r) =>
    [
      r.name,
      r.state,
      r.pid ?? '-',
      formatDuration(r.uptimeMs),
      r.cpu === null ? '-' : `${r.cpu}%`,
      formatBytes(r.memory),
      r.restarts,
      r.lastExitSignal ? `killed by ${r.lastExitSignal}` : (r.lastExitCode ?? '-'),
      r.address || '-',
      r.ready === null ? '-' : r.ready ? 'yes' : 'no',
    ].map(String),
  );
  const out = formatTable(header, table);
  for (const r of rows) if (r.reason) out.push(`${r.name}: ${r.state}: ${r.reason}`);
  return `${out.join('\n')}\n`;
}
