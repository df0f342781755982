/**
 * What runs now, read without changing anything: whether this deployment's pm2 daemon is alive,
 * and per program what it was started with and whether its recorded process still runs. No pm2
 * client connects (connecting would spawn a daemon), and the database is opened read-only (a
 * stack never started has none). The planner (runtime-plan.ts) takes it from here.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type BetterSqlite3 = require('better-sqlite3');
import { configFingerprint, type TreeOf } from './config-fingerprint';
import type { Program, SupervisorConfig } from './config';
import type { SupervisorFile } from './format';
import { daemonPid } from './pm2-daemon';
import { stillRunning, type ProcessIdentity } from './process-identity';
import type { RunningProgram, RunningState } from './runtime-plan';
import type { ControlRow } from './state-db';

/** A program's control row and recorded process as the planner sees them. */
export function runningProgram(control: ControlRow, recorded: ProcessIdentity | undefined): RunningProgram {
  return {
    name: control.name,
    spec: control.spec ? (JSON.parse(control.spec) as Program) : undefined,
    configHash: control.config_hash,
    desired: control.desired,
    alive: stillRunning(recorded),
  };
}

export function readRunningState(config: SupervisorFile): RunningState {
  if (!daemonPid(config as SupervisorConfig)) return { running: false, programs: [] };
  const file = path.join(config.stateDir, 'monitor.sqlite');
  if (!existsSync(file)) return { running: true, programs: [] };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const controls = db.prepare('SELECT * FROM control').all() as ControlRow[];
    const processes = db.prepare('SELECT name, pid, start FROM processes').all() as Array<
      ProcessIdentity & { name: string }
    >;
    const recorded = new Map(processes.map((p) => [p.name, { pid: p.pid, start: p.start }]));
    return { running: true, programs: controls.map((c) => runningProgram(c, recorded.get(c.name))) };
  } finally {
    db.close();
  }
}

/**
 * The fingerprint of a program's configuration files (the one `update` records,
 * config-fingerprint.ts), from their contents after the change: `contentAfter(file)` when the
 * caller knows them (a plan made before the files are written), else as they are on disk; read
 * in `tree` (the release a plan describes) when the programs name them through its run-from link.
 */
export function configHashOf(
  program: Program,
  contentAfter?: (file: string) => Buffer | string | undefined,
  tree?: TreeOf,
): string {
  return configFingerprint(program, tree, contentAfter);
}

export function configHashes(
  programs: Program[],
  contentAfter?: (file: string) => Buffer | string | undefined,
  tree?: TreeOf,
): Record<string, string> {
  return Object.fromEntries(programs.map((p) => [p.name, configHashOf(p, contentAfter, tree)]));
}
