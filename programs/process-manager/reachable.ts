/**
 * Before plan or apply trusts what runs: a stack whose process manager cannot be reached is an
 * error, not "not running" (apply would then only install, and the programs still running would
 * never get the change) and not a failure half-way through apply (the tree already changed).
 * Two ways it happens: pm2's daemon was killed and its programs live on as orphans, or the
 * daemon runs and its RPC socket cannot be opened (removed, or the daemon is wedged). Read-only:
 * one connection is opened and closed, no pm2 client connects (that would spawn a daemon).
 */
import { existsSync } from 'node:fs';
import { createConnection } from 'node:net';
import * as path from 'node:path';
import type BetterSqlite3 = require('better-sqlite3');
import { AGENT, type SupervisorConfig } from './config';
import type { SupervisorFile } from './format';
import { daemonDied, daemonPid } from './pm2-daemon';
import { stillRunning, type ProcessIdentity } from './process-identity';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

const CONNECT_TIMEOUT_MS = 3000;

/**
 * The recorded programs that still run ("web (pid 12)"), from the monitor database. The agent is
 * left out: it exits by itself once pm2's daemon is gone, and alone it runs no program.
 */
function orphans(config: SupervisorFile): string[] {
  const file = path.join(config.stateDir, 'monitor.sqlite');
  if (!existsSync(file)) return [];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require('better-sqlite3') as typeof BetterSqlite3;
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    const rows = db.prepare('SELECT name, pid, start FROM processes').all() as Array<
      ProcessIdentity & { name: string }
    >;
    return rows.filter((row) => row.name !== AGENT && stillRunning(row)).map((row) => `${row.name} (pid ${row.pid})`);
  } finally {
    db.close();
  }
}

function connects(socket: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    const connection = createConnection(socket);
    const timer = setTimeout(() => {
      connection.destroy();
      resolve(`no connection within ${CONNECT_TIMEOUT_MS / 1000} s`);
    }, CONNECT_TIMEOUT_MS);
    connection.on('connect', () => {
      clearTimeout(timer);
      connection.end();
      resolve(undefined);
    });
    connection.on('error', (error) => {
      clearTimeout(timer);
      resolve(`${path.basename(socket)}: ${error.message}`);
    });
  });
}

/** Throws PM2_DAEMON_FAILED when the stack runs and its process manager cannot be reached. */
export async function checkReachable(config: SupervisorFile): Promise<void> {
  const supervisor = config as SupervisorConfig;
  if (daemonDied(supervisor)) {
    const running = orphans(config);
    if (running.length) throw processManagerErrors.pm2Gone(config.pm2Home, running);
    return;
  }
  if (!daemonPid(supervisor)) return;
  const problem = await connects(path.join(config.pm2Home, 'rpc.sock'));
  if (problem) throw processManagerErrors.pm2Unreachable(config.pm2Home, problem);
}
