/**
 * The monitor: every few seconds, one status sample per program into the database (state, pid,
 * restarts, and the Salvus fields of process-sample.ts: node load, cpu %, memory %, cpu time,
 * wall time, virtual and resident size), the service inventory (type, host, address, port,
 * running, user, pid, monitor pid) kept current, and state changes recorded as events. The
 * database caps samples per program.
 */
import { hostname } from 'node:os';
import type { Runtime } from './runtime';
import { collectStatus, type StatusRow } from './status';
import { recordIdentity } from './start-program';
import { cpuPercent, loadAverage, sampleProcess, type ProcessSample } from './process-sample';

export class Monitor {
  private readonly last = new Map<string, string>();
  /** The previous sample of each program's process, for its cpu % over the interval. */
  private readonly previous = new Map<string, { at: number; sample: ProcessSample }>();

  constructor(private readonly rt: Runtime) {}

  async tick(): Promise<StatusRow[]> {
    const { config, db, pm2 } = this.rt;
    const rows = await collectStatus(config, await pm2.list(), db);
    const ts = Date.now();
    const [load] = loadAverage();
    const host = hostname();
    // IMMEDIATE: the transaction reads before it writes; a deferred one whose read snapshot another
    // process (bin/supervisord, supervisorctl) committed past fails at its first write with
    // "database is locked" at once, without waiting on busy_timeout
    db.db
      .transaction(() => {
        for (const row of rows) {
          const program = config.programs.find((p) => p.name === row.name)!;
          const listen = program.listen[0];
          // a program started before identities were recorded (or by hand through pm2) gets one
          if (row.pid !== null && !row.orphan && db.recordedProcess(row.name)?.pid !== row.pid)
            recordIdentity(this.rt, row.name, row.pid);
          const sample = row.pid !== null ? sampleProcess(row.pid, ts) : undefined;
          const now = sample && { at: ts, sample };
          const cpu = now ? cpuPercent(this.previous.get(row.name), now) : null;
          if (now) this.previous.set(row.name, now);
          else this.previous.delete(row.name);
          db.service({
            name: row.name,
            type: row.type,
            host,
            address: listen?.host ?? '',
            port: listen?.port ?? null,
            running: row.pid !== null,
            user: sample?.user ?? null,
            pid: row.pid,
            monitorPid: process.pid,
          });
          db.sample(row.name, {
            ts,
            state: row.state,
            pid: row.pid,
            // its own figure over the interval; pm2's (or none, for an orphan) until there are two
            cpu: cpu ?? row.cpu,
            memory: sample?.residentBytes ?? row.memory,
            restarts: row.restarts,
            load,
            cpuTimeMs: sample?.cpuTimeMs ?? null,
            wallMs: sample?.wallMs ?? null,
            virtualBytes: sample?.virtualBytes ?? null,
            memoryPercent: sample?.memoryPercent ?? null,
          });
          const before = this.last.get(row.name);
          if (before !== undefined && before !== row.state)
            db.event(row.name, 'state', `${before} -> ${row.state}${row.reason ? `: ${row.reason}` : ''}`);
          this.last.set(row.name, row.state);
        }
        // programs no longer configured leave the inventory
        for (const service of db.services())
          if (!rows.some((r) => r.name === service.name)) db.forgetService(service.name);
      })
      .immediate();
    return rows;
  }
}
