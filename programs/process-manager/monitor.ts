/**
 * The monitor: every few seconds, one status sample per program (state, pid, cpu, memory,
 * restarts) into the database, the service inventory (type, address, port, running, pid) kept
 * current, and state changes recorded as events. The database caps samples per program.
 */
import type { Runtime } from './runtime';
import { collectStatus, type StatusRow } from './status';
import { recordIdentity } from './start-program';

export class Monitor {
  private readonly last = new Map<string, string>();

  constructor(private readonly rt: Runtime) {}

  async tick(): Promise<StatusRow[]> {
    const { config, db, pm2 } = this.rt;
    const rows = await collectStatus(config, await pm2.list(), db);
    const ts = Date.now();
    db.db.transaction(() => {
      for (const row of rows) {
        const program = config.programs.find((p) => p.name === row.name)!;
        const listen = program.listen[0];
        // a program started before identities were recorded (or by hand through pm2) gets one
        if (row.pid !== null && !row.orphan && db.recordedProcess(row.name)?.pid !== row.pid)
          recordIdentity(this.rt, row.name, row.pid);
        db.service({
          name: row.name,
          type: row.type,
          address: listen?.host ?? '',
          port: listen?.port ?? null,
          running: row.pid !== null,
          pid: row.pid,
        });
        db.sample(row.name, {
          ts,
          state: row.state,
          pid: row.pid,
          cpu: row.cpu,
          memory: row.memory,
          restarts: row.restarts,
        });
        const before = this.last.get(row.name);
        if (before !== undefined && before !== row.state)
          db.event(row.name, 'state', `${before} -> ${row.state}${row.reason ? `: ${row.reason}` : ''}`);
        this.last.set(row.name, row.state);
      }
      // programs no longer configured leave the inventory
      for (const service of db.services())
        if (!rows.some((r) => r.name === service.name)) db.forgetService(service.name);
    })();
    return rows;
  }
}
