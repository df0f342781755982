/**
 * The only door to pm2. PM2_HOME must be set before pm2 is first required (its paths are fixed at
 * require time), so every call goes through here: a short per-deployment home, never ~/.pm2.
 * The daemon is spawned with PM2_KILL_SIGNAL=SIGTERM (its default, SIGINT, is ignored by
 * mariadbd), quietly (no banner on stdout), with the deployment directory as its cwd, and with
 * nothing of the caller's environment (pm2-daemon.ts, pm2-environment.ts).
 */
import { mkdirSync, symlinkSync, readlinkSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import type { SupervisorConfig } from './config';
import { alive } from './proc-info';
import { usePm2Home } from './pm2-environment';
import { daemonPid, spawnDaemon } from './pm2-daemon';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

export { daemonPid } from './pm2-daemon';

/** What pm2.list() gives per app (the fields we use). */
export interface Pm2Process {
  name: string;
  pid: number;
  pm_id: number;
  monit?: { cpu: number; memory: number };
  /** exit_signal: set by pm2-daemon-hooks.ts (pm2 itself records a signal's death as exit code 0). */
  pm2_env: {
    status: string;
    restart_time: number;
    exit_code?: number;
    exit_signal?: string | null;
    pm_uptime?: number;
    created_at?: number;
  };
}

/** pm2 statuses of a process that is (or is about to be) running. */
export const LIVE_STATUSES = new Set(['online', 'launching']);

/** Whether pm2 says the process runs and /proc agrees (pm2 can lag behind an exit). */
export function isLive(proc: Pm2Process | undefined): boolean {
  return !!proc && LIVE_STATUSES.has(proc.pm2_env.status) && proc.pid > 0 && alive(proc.pid);
}

type Callback<T> = (error: unknown, value: T) => void;
// pm2 ships no usable types for the custom API; this is the part we call
interface Pm2Api {
  connect(cb: Callback<unknown>): void;
  disconnect(cb?: () => void): void;
  list(cb: Callback<Pm2Process[]>): void;
  start(app: Record<string, unknown>, cb: Callback<unknown>): void;
  stop(name: string, cb: Callback<unknown>): void;
  restart(name: string, cb: Callback<unknown>): void;
  delete(name: string, cb: Callback<unknown>): void;
  reloadLogs(cb: Callback<unknown>): void;
  killDaemon(cb: Callback<unknown>): void;
  launchBus(cb: Callback<Pm2Bus>): void;
}

export interface Pm2Bus {
  on(
    event: string,
    handler: (packet: {
      event?: string;
      process: { name: string; pm_id: number; exit_code?: number; exit_signal?: string | null };
    }) => void,
  ): void;
  close?(): void;
}

function requirePm2(home: string): new (opts: Record<string, unknown>) => Pm2Api {
  usePm2Home(home);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require('pm2') as { custom: new (opts: Record<string, unknown>) => Pm2Api }).custom;
}

function call<T>(fn: (cb: Callback<T>) => void): Promise<T> {
  return new Promise((resolve, reject) =>
    fn((error, value) =>
      error ? reject(error instanceof Error ? error : new Error(JSON.stringify(error))) : resolve(value),
    ),
  );
}

function makeDirectory(directory: string): void {
  try {
    mkdirSync(directory, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw processManagerErrors.pm2HomeUnusable(directory, (error as Error).message);
  }
}

/** Makes the short home (0700) and a link to it from the tree, so an operator can find it. */
function prepareHome(config: SupervisorConfig): void {
  makeDirectory(config.pm2Home);
  makeDirectory(config.stateDir);
  const link = path.join(config.stateDir, 'pm2');
  try {
    if (readlinkSync(link) === config.pm2Home) return;
    rmSync(link, { force: true });
  } catch {
    // no link yet
  }
  symlinkSync(config.pm2Home, link);
}

export class Pm2Client {
  private constructor(
    private readonly api: Pm2Api,
    private readonly config: SupervisorConfig,
  ) {}

  /** Connects to the deployment's daemon, spawning it when it is not running. */
  static async connect(config: SupervisorConfig): Promise<Pm2Client> {
    prepareHome(config);
    const spawned = daemonPid(config) ? undefined : spawnDaemon(config);
    spawned?.catch(() => undefined); // awaited below, after pm2 is loaded
    const Custom = requirePm2(config.pm2Home);
    await spawned;
    const api = new Custom({ pm2_home: config.pm2Home, cwd: config.directory, daemon_mode: true });
    await call((cb) => api.connect(cb)).catch((error: Error) => {
      throw processManagerErrors.pm2Unreachable(config.pm2Home, error.message);
    });
    return new Pm2Client(api, config);
  }

  list(): Promise<Pm2Process[]> {
    return call((cb) => this.api.list(cb));
  }
  /** Starts one app; returns its pid as the daemon spawned it (0 if it has none), saving a list(). */
  async start(app: Record<string, unknown>): Promise<number> {
    const started = await call<Array<{ pid?: number; process?: { pid?: number } }>>((cb) =>
      this.api.start(app, cb as Callback<unknown>),
    );
    return started?.[0]?.process?.pid ?? started?.[0]?.pid ?? 0;
  }
  stop(name: string): Promise<unknown> {
    return call((cb) => this.api.stop(name, cb));
  }
  restart(name: string): Promise<unknown> {
    return call((cb) => this.api.restart(name, cb));
  }
  delete(name: string): Promise<unknown> {
    return call((cb) => this.api.delete(name, cb));
  }
  reloadLogs(): Promise<unknown> {
    return call((cb) => this.api.reloadLogs(cb));
  }
  bus(): Promise<Pm2Bus> {
    return call((cb) => this.api.launchBus(cb));
  }

  async find(name: string): Promise<Pm2Process | undefined> {
    return (await this.list()).find((p) => p.name === name);
  }

  /**
   * Stops the daemon (every app still in it first) and waits until its process is gone: pm2
   * answers before the daemon has exited. The caller must exit: pm2 keeps handles open.
   */
  async kill(): Promise<void> {
    const pid = daemonPid(this.config);
    await call((cb) => this.api.killDaemon(cb));
    this.disconnect();
    const deadline = Date.now() + 10_000;
    while (pid && alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 25));
    if (pid && alive(pid)) process.kill(pid, 'SIGKILL');
  }

  disconnect(): void {
    this.api.disconnect();
  }
}
