/**
 * pm2's daemon of a deployment: spawned by us (before pm2 is loaded here, with our hook and a
 * clean environment), and recognised by its identity, pid and start time, kept beside pm2's own
 * pm2.pid (which outlives a daemon killed with SIGKILL).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SupervisorConfig } from './config';
import { alive, commandLine } from './proc-info';
import { identify, stillRunning, type ProcessIdentity } from './process-identity';
import { daemonEnvironment, usePm2Home } from './pm2-environment';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

/**
 * Spawns the daemon the way pm2's own client does (node lib/Daemon.js, detached, its output in
 * pm2.log, "ready" over the IPC channel once both of its sockets are bound), with our hook that
 * keeps the signal a program died of (pm2-daemon-hooks.ts), and before pm2 is
 * required here: the daemon's start-up (0.3-0.5 s, mostly loading its modules) then overlaps
 * with loading pm2 into this process (0.1 s) instead of following it. pm2's connect() then finds
 * the daemon alive and only opens its RPC socket.
 */
export function spawnDaemon(config: SupervisorConfig): Promise<void> {
  usePm2Home(config.pm2Home);
  const log = openSync(path.join(config.pm2Home, 'pm2.log'), 'a');
  const child = spawn(
    process.execPath,
    ['--require', path.join(__dirname, 'pm2-daemon-hooks.js'), require.resolve('pm2/lib/Daemon.js')],
    {
      detached: true,
      cwd: config.directory,
      env: daemonEnvironment(config.pm2Home),
      stdio: ['ignore', log, log, 'ipc'],
    },
  );
  closeSync(log);
  return new Promise((resolve, reject) => {
    const fail = (how: string): void => {
      clearTimeout(timer);
      reject(processManagerErrors.pm2DaemonDown(config.pm2Home, how));
    };
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail('did not start within 30 s');
    }, 30_000);
    child.once('error', (error) => fail(`cannot be spawned: ${error.message}`));
    child.once('exit', (code, signal) => {
      fail(`exited with ${signal ? `signal ${signal}` : `code ${code}`} while starting`);
    });
    child.once('message', () => {
      clearTimeout(timer);
      const identity = identify(child.pid ?? 0);
      if (identity) writeFileSync(identityFile(config), `${JSON.stringify(identity)}\n`, { mode: 0o600 });
      child.removeAllListeners('exit');
      child.disconnect();
      child.unref();
      resolve();
    });
  });
}

/** Where the identity (pid, start time) of the daemon we spawned is kept. */
function identityFile(config: SupervisorConfig): string {
  return path.join(config.pm2Home, 'daemon-identity.json');
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

/**
 * The pid of this deployment's pm2 daemon when it is alive (without spawning one). pm2.pid
 * outlives a daemon killed with SIGKILL, and its pid may since belong to another process: the
 * daemon is the one whose pid and start time we recorded when we spawned it (or, spawned by
 * pm2's own client, a live process that is a pm2 daemon).
 */
export function daemonPid(config: SupervisorConfig): number | undefined {
  const pid = readJson<number>(path.join(config.pm2Home, 'pm2.pid'));
  if (typeof pid !== 'number' || !(pid > 0) || !alive(pid)) return undefined;
  const recorded = readJson<ProcessIdentity>(identityFile(config));
  if (recorded?.pid === pid) return stillRunning(recorded) ? pid : undefined;
  return /PM2|pm2\/lib\/Daemon\.js/.test(commandLine(pid)) ? pid : undefined;
}

/**
 * Whether a daemon of this deployment ended without cleaning up: pm2 removes pm2.pid when its
 * daemon exits, so a pm2.pid whose daemon is gone means it was killed (and may have left
 * programs running). Cheaper than opening the state database on every start.
 */
export function daemonDied(config: SupervisorConfig): boolean {
  return existsSync(path.join(config.pm2Home, 'pm2.pid')) && daemonPid(config) === undefined;
}
