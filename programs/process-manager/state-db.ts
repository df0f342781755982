/**
 * The process manager's database in the tree (var/<part>/monitor.sqlite, SQLite in WAL mode so
 * the agent, bin/supervisorctl and bin/supervisord can use it at once):
 * - control: per program what the operator wants (running or stopped), what it was started with
 *   (for `update`), and the crash-loop bookkeeping (consecutive failures, backoff, FATAL reason);
 * - services: the inventory the monitor keeps (type, address, port, running, pid);
 * - samples and events: the status history, capped per program so it never grows without bound;
 * - processes: the identity (pid and start time) of every process it started (programs and the
 *   agent), so they are found again, and never confused with a later process of the same pid,
 *   when pm2's daemon has died (orphans.ts).
 */
import { chmodSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import type BetterSqlite3 = require('better-sqlite3');
import type { ProcessIdentity } from './process-identity';

export interface ControlRow {
  name: string;
  desired: 'running' | 'stopped';
  spec: string | null;
  spec_hash: string | null;
  config_hash: string | null;
  failures: number;
  next_restart_at: number | null;
  fatal: string | null;
  stopping: number;
  started_at: number | null;
  last_exit_code: number | null;
  /** The signal that ended the last run (null: it exited by itself, with last_exit_code). */
  last_exit_signal: string | null;
  last_exit_at: number | null;
  restarts: number;
}

export interface Sample {
  ts: number;
  state: string;
  pid: number | null;
  cpu: number | null;
  memory: number | null;
  restarts: number;
  /** The Salvus fields (process-sample.ts); null in samples taken before they were kept. */
  load?: number | null;
  cpuTimeMs?: number | null;
  wallMs?: number | null;
  virtualBytes?: number | null;
  memoryPercent?: number | null;
}

/** An inventory row: what runs where, as whom, watched by which monitor. */
export interface ServiceRow {
  name: string;
  type: string;
  host: string;
  address: string;
  port: number | null;
  running: boolean;
  user: string | null;
  pid: number | null;
  monitorPid: number | null;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS control (
  name TEXT PRIMARY KEY, desired TEXT NOT NULL DEFAULT 'stopped', spec TEXT, spec_hash TEXT, config_hash TEXT,
  failures INTEGER NOT NULL DEFAULT 0, next_restart_at INTEGER, fatal TEXT, stopping INTEGER NOT NULL DEFAULT 0,
  started_at INTEGER, last_exit_code INTEGER, last_exit_at INTEGER, restarts INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS services (
  name TEXT PRIMARY KEY, type TEXT, address TEXT, port INTEGER, running INTEGER, pid INTEGER, updated_at INTEGER);
CREATE TABLE IF NOT EXISTS samples (
  id INTEGER PRIMARY KEY, name TEXT NOT NULL, ts INTEGER NOT NULL, state TEXT, pid INTEGER, cpu REAL, memory INTEGER, restarts INTEGER);
CREATE INDEX IF NOT EXISTS samples_by_name ON samples(name, id);
CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, name TEXT NOT NULL, ts INTEGER NOT NULL, event TEXT, detail TEXT);
CREATE INDEX IF NOT EXISTS events_by_name ON events(name, id);
CREATE TABLE IF NOT EXISTS processes (name TEXT PRIMARY KEY, pid INTEGER NOT NULL, start INTEGER NOT NULL, recorded_at INTEGER NOT NULL);
`;

/** Columns added after the first release, for databases made before them. */
const ADDED_COLUMNS: Array<[string, string, string]> = [
  ['control', 'last_exit_signal', 'TEXT'],
  ['samples', 'load', 'REAL'],
  ['samples', 'cpu_time', 'INTEGER'],
  ['samples', 'wall', 'INTEGER'],
  ['samples', 'vsize', 'INTEGER'],
  ['samples', 'mem_pct', 'REAL'],
  ['services', 'host', 'TEXT'],
  ['services', 'user', 'TEXT'],
  ['services', 'monitor_pid', 'INTEGER'],
];

/** A sample row as the history API and the charts read it. */
const SAMPLE_COLUMNS =
  'ts, state, pid, cpu, memory, restarts, load, cpu_time AS cpuTimeMs, wall AS wallMs, vsize AS virtualBytes, ' +
  'mem_pct AS memoryPercent';

const MAX_EVENTS = 500;

/** How long opening the database keeps trying while another process holds it (see StateDb.open). */
const OPEN_RETRY_MS = 10_000;

export class StateDb {
  private constructor(
    readonly db: BetterSqlite3.Database,
    private readonly maxSamples: number,
  ) {}

  /**
   * Opens (and if need be creates) the state database. SQLite answers "database is locked" at
   * once, without waiting on busy_timeout, while another process's last connection is closing
   * (its checkpoint holds the WAL) or recovering it: an agent exiting as the next one starts. So
   * the whole opening is tried again for a bounded time before it gives up.
   */
  static open(file: string, maxSamples: number): StateDb {
    const deadline = Date.now() + OPEN_RETRY_MS;
    for (;;) {
      try {
        return StateDb.openOnce(file, maxSamples);
      } catch (error) {
        const code = (error as { code?: string }).code ?? '';
        if (!code.startsWith('SQLITE_BUSY') && !code.startsWith('SQLITE_LOCKED')) throw error;
        if (Date.now() > deadline) throw error;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
      }
    }
  }

  private static openOnce(file: string, maxSamples: number): StateDb {
    // the control table keeps each program's settings, environment (passwords) included
    mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    chmodSync(path.dirname(file), 0o700);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const Database = require('better-sqlite3') as typeof BetterSqlite3;
    const db = new Database(file);
    try {
      chmodSync(file, 0o600);
      db.pragma('journal_mode = WAL');
      // in WAL mode NORMAL is still crash-safe (a power cut can lose the last commits, never the
      // database); FULL syncs on every commit, and a cold start writes dozens of events
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      db.exec(SCHEMA);
      for (const [table, column, type] of ADDED_COLUMNS) {
        const columns = db.prepare(`PRAGMA table_info(${table})`).all() as Array<{ name: string }>;
        if (columns.some((c) => c.name === column)) continue;
        try {
          db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} ${type}`);
        } catch (error) {
          // another process (the agent, supervisorctl) added it at the same moment
          if (!/duplicate column/.test((error as Error).message)) throw error;
        }
      }
      return new StateDb(db, maxSamples);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  control(name: string): ControlRow | undefined {
    return this.db.prepare('SELECT * FROM control WHERE name = ?').get(name) as ControlRow | undefined;
  }

  controls(): ControlRow[] {
    return this.db.prepare('SELECT * FROM control').all() as ControlRow[];
  }

  /** Sets columns of a program's control row (created on first use). */
  setControl(name: string, values: Partial<Omit<ControlRow, 'name'>>): void {
    this.db.prepare('INSERT OR IGNORE INTO control (name) VALUES (?)').run(name);
    const keys = Object.keys(values);
    if (!keys.length) return;
    this.db
      .prepare(`UPDATE control SET ${keys.map((k) => `${k} = @${k}`).join(', ')} WHERE name = @name`)
      .run({ ...values, name });
  }

  /** A program removed from the configuration: its control row and inventory entry go (history stays, capped). */
  forget(name: string): void {
    this.db.prepare('DELETE FROM control WHERE name = ?').run(name);
    this.forgetService(name);
    this.forgetProcess(name);
  }

  forgetService(name: string): void {
    this.db.prepare('DELETE FROM services WHERE name = ?').run(name);
  }

  /** Records the process now running as `name` (a program, or the agent). */
  recordProcess(name: string, identity: ProcessIdentity): void {
    this.db
      .prepare(
        `INSERT INTO processes (name, pid, start, recorded_at) VALUES (?, ?, ?, ?)
      ON CONFLICT(name) DO UPDATE SET pid = excluded.pid, start = excluded.start, recorded_at = excluded.recorded_at`,
      )
      .run(name, identity.pid, identity.start, Date.now());
  }

  recordedProcess(name: string): ProcessIdentity | undefined {
    return this.db.prepare('SELECT pid, start FROM processes WHERE name = ?').get(name) as ProcessIdentity | undefined;
  }

  recordedProcesses(): Array<ProcessIdentity & { name: string }> {
    return this.db.prepare('SELECT name, pid, start FROM processes ORDER BY name').all() as Array<
      ProcessIdentity & { name: string }
    >;
  }

  forgetProcess(name: string): void {
    this.db.prepare('DELETE FROM processes WHERE name = ?').run(name);
  }

  event(name: string, event: string, detail = ''): void {
    this.db
      .prepare('INSERT INTO events (name, ts, event, detail) VALUES (?, ?, ?, ?)')
      .run(name, Date.now(), event, detail);
    this.db
      .prepare(
        'DELETE FROM events WHERE name = ? AND id <= (SELECT id FROM events WHERE name = ? ORDER BY id DESC ' +
          'LIMIT 1 OFFSET ?)',
      )
      .run(name, name, MAX_EVENTS);
  }

  events(name: string, limit = 50): Array<{ ts: number; event: string; detail: string }> {
    return this.db
      .prepare('SELECT ts, event, detail FROM events WHERE name = ? ORDER BY id DESC LIMIT ?')
      .all(name, limit) as Array<{ ts: number; event: string; detail: string }>;
  }

  service(row: ServiceRow): void {
    this.db
      .prepare(
        `INSERT INTO services (name, type, host, address, port, running, user, pid, monitor_pid, updated_at)
      VALUES (@name, @type, @host, @address, @port, @running, @user, @pid, @monitorPid, @ts)
      ON CONFLICT(name) DO UPDATE SET type = @type, host = @host, address = @address, port = @port, running = @running,
      user = @user, pid = @pid, monitor_pid = @monitorPid, updated_at = @ts`,
      )
      .run({ ...row, running: row.running ? 1 : 0, ts: Date.now() });
  }

  services(): Array<
    Omit<ServiceRow, 'running' | 'monitorPid'> & { running: number; monitor_pid: number | null; updated_at: number }
  > {
    return this.db.prepare('SELECT * FROM services ORDER BY name').all() as ReturnType<StateDb['services']>;
  }

  /** How long the program took to get ready the last time it started (ms), if it ever did. */
  lastReadyMs(name: string): number | undefined {
    const row = this.db
      .prepare("SELECT detail FROM events WHERE name = ? AND event = 'ready' ORDER BY id DESC LIMIT 1")
      .get(name) as { detail: string } | undefined;
    const ms = Number.parseInt(row?.detail ?? '', 10);
    return Number.isFinite(ms) ? ms : undefined;
  }

  /** Records a status sample and drops the oldest beyond the cap. */
  sample(name: string, sample: Sample): void {
    this.db
      .prepare(
        'INSERT INTO samples (name, ts, state, pid, cpu, memory, restarts, load, cpu_time, wall, vsize, mem_pct) ' +
          'VALUES (@name, @ts, @state, @pid, @cpu, @memory, @restarts, @load, @cpuTimeMs, @wallMs, @virtualBytes, ' +
          '@memoryPercent)',
      )
      .run({ load: null, cpuTimeMs: null, wallMs: null, virtualBytes: null, memoryPercent: null, name, ...sample });
    this.db
      .prepare(
        'DELETE FROM samples WHERE name = ? AND id <= (SELECT id FROM samples WHERE name = ? ORDER BY id DESC ' +
          'LIMIT 1 OFFSET ?)',
      )
      .run(name, name, this.maxSamples);
  }

  samples(name: string, limit = 120): Sample[] {
    const rows = this.db
      .prepare(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE name = ? ORDER BY id DESC LIMIT ?`)
      .all(name, limit) as Sample[];
    return rows.reverse();
  }

  /** The kept samples of a program taken after `since` (ms), oldest first. */
  samplesSince(name: string, since: number): Sample[] {
    return this.db
      .prepare(`SELECT ${SAMPLE_COLUMNS} FROM samples WHERE name = ? AND ts > ? ORDER BY id`)
      .all(name, since) as Sample[];
  }

  /** The kept events of a program after `since` (ms), oldest first. */
  eventsSince(name: string, since: number): Array<{ ts: number; event: string; detail: string }> {
    return this.db
      .prepare('SELECT ts, event, detail FROM events WHERE name = ? AND ts > ? ORDER BY id')
      .all(name, since) as Array<{ ts: number; event: string; detail: string }>;
  }

  close(): void {
    this.db.close();
  }
}
