/**
 * A deployment with a supervisor part, assembled for real, and its bin/supervisord and
 * bin/supervisorctl run as subprocesses with bounded waits. cleanup() shuts the deployment down
 * and then kills, by pid, the pm2 daemon and every process under it, whatever happened.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { Deployment } from './deployment';
import { ROOT } from './paths';
import { alive, processTree } from '../../programs/process-manager/proc-info';
import { identify, stillRunning, type ProcessIdentity } from '../../programs/process-manager/process-identity';
import { daemonPid } from '../../programs/process-manager/pm2-client';
import type { SupervisorConfig } from '../../programs/process-manager/config';
import { StateDb } from '../../programs/process-manager/state-db';

/** A live process (a zombie waiting for init to reap it has exited). */
export { alive };

export const NODE = process.execPath;
export const ROOT_FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const TEST_SERVER = path.join(ROOT_FIXTURES, 'programs', 'test-server.js');

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** SIGKILL to a process and all its descendants, deepest first. */
export function killTree(pid: number): void {
  for (const p of processTree(pid).reverse()) {
    try {
      process.kill(p, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

export class SupervisedDeployment extends Deployment {
  /** Every program process status showed, with its start time: a pid alone may be reused by then. */
  readonly seen = new Map<number, ProcessIdentity>();
  readonly children: ChildProcess[] = [];

  constructor(config: string) {
    super(config);
  }

  assembleOrFail(...args: string[]): void {
    const r = this.run(...args);
    if (r.status !== 0) throw new Error(`assemble failed (${r.status}):\n${r.stderr}`);
  }

  private command(script: string, args: string[], timeoutMs: number, env?: NodeJS.ProcessEnv): CommandResult {
    const started = Date.now();
    // a HOME of its own: a pm2 call that forgot PM2_HOME would show up as HOME/.pm2 (see home())
    mkdirSync(this.home(), { recursive: true });
    const r = spawnSync(this.path('bin', script), args, {
      encoding: 'utf8',
      timeout: timeoutMs,
      env: { ...process.env, NO_COLOR: '1', HOME: this.home(), ...env },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - started };
  }

  /** The HOME the control scripts run with; pm2 must never create HOME/.pm2. */
  home(): string {
    return this.path('home');
  }

  supervisord(args: string[] = [], timeoutMs = 60_000, env?: NodeJS.ProcessEnv): CommandResult {
    const r = this.command('supervisord', args, timeoutMs, env);
    this.rememberPids();
    return r;
  }

  /** bin/supervisord, which must succeed (its stderr is the failure's message). */
  startOrFail(): CommandResult {
    const r = this.supervisord();
    if (r.status !== 0) throw new Error(`bin/supervisord exited ${r.status}:\n${r.stderr}`);
    return r;
  }

  /** supervisord -n as a child process (foreground mode). */
  supervisordForeground(): ChildProcess {
    const child = spawn(this.path('bin', 'supervisord'), ['-n'], { env: { ...process.env, NO_COLOR: '1' } });
    this.children.push(child);
    return child;
  }

  ctl(args: string[], timeoutMs = 60_000, env?: NodeJS.ProcessEnv): CommandResult {
    return this.command('supervisorctl', args, timeoutMs, env);
  }

  status(): {
    supervisord: boolean;
    orphans: Array<{ name: string; pid: number }>;
    programs: Array<Record<string, any>>;
    pools: Array<Record<string, any>>;
  } {
    const r = this.ctl(['status', '--json']);
    if (r.status !== 0) throw new Error(`status failed: ${r.stderr}`);
    const status = JSON.parse(r.stdout);
    for (const p of status.programs) {
      const identity = p.pid ? identify(p.pid) : undefined;
      if (identity && !this.seen.has(p.pid)) this.seen.set(p.pid, identity);
    }
    return status;
  }

  program(name: string): Record<string, any> {
    const found = this.status().programs.find((p) => p.name === name);
    if (!found) throw new Error(`no program ${name} in status`);
    return found;
  }

  config(): { pm2Home: string; [key: string]: any } {
    return JSON.parse(this.read('parts/supervisor/supervisor.json'));
  }

  daemonPid(): number | undefined {
    try {
      return Number(readFileSync(path.join(this.config().pm2Home, 'pm2.pid'), 'utf8').trim());
    } catch {
      return undefined;
    }
  }

  rememberPids(): void {
    try {
      this.status();
    } catch {
      /* not assembled or no daemon */
    }
  }

  /** The processes the process manager recorded as its own (programs, agent), by name. */
  recorded(): Array<ProcessIdentity & { name: string }> {
    const file = this.path('var', 'supervisor', 'monitor.sqlite');
    if (!existsSync(file)) return [];
    const db = StateDb.open(file, 10);
    try {
      return db.recordedProcesses();
    } finally {
      db.close();
    }
  }

  /**
   * Shutdown, then SIGKILL whatever is left of ours (the daemon and its tree, the processes the
   * process manager recorded, those status showed), each only while it is still the same process
   * (pid and start time), then remove the tree.
   */
  teardown(): void {
    let home: string | undefined;
    const ours: ProcessIdentity[] = [];
    try {
      ours.push(...this.recorded());
      home = this.config().pm2Home;
      this.rememberPids();
      this.ctl(['shutdown'], 30_000);
      ours.push(...this.recorded());
      const daemon = daemonPid(this.config() as unknown as SupervisorConfig);
      if (daemon) killTree(daemon);
    } catch {
      /* best effort: the kills below are what counts */
    }
    for (const child of this.children) if (child.pid && child.exitCode === null) killTree(child.pid);
    for (const identity of [...ours, ...this.seen.values()]) if (stillRunning(identity)) killTree(identity.pid);
    if (home?.startsWith('/tmp/zs-')) rmSync(home, { recursive: true, force: true });
    this.cleanup();
  }
}

/** Runs the body with a supervised deployment and always tears it down. */
export async function withSupervised(
  config: string,
  body: (d: SupervisedDeployment) => void | Promise<void>,
): Promise<void> {
  const deployment = new SupervisedDeployment(config);
  try {
    await body(deployment);
  } finally {
    deployment.teardown();
  }
}

/** The head of the [supervisor] part most process-manager tests use: the panel on `panel`, admin/secret. */
export function supervisorPart(panel: number): string {
  return `[supervisor]\nrecipe = supervisor\nport = 127.0.0.1:${panel}\nuser = admin\npassword = secret\n`;
}

/** A `programs` line running the test server. */
export function serverLine(
  priority: number,
  name: string,
  port: number,
  options: { delayMs?: number; exitAfterMs?: number; exitCode?: number; extra?: string } = {},
): string {
  const args = [
    TEST_SERVER,
    port,
    options.delayMs ?? 0,
    ...(options.exitAfterMs !== undefined ? [options.exitAfterMs, options.exitCode ?? 1] : []),
  ].join(' ');
  return `${priority} ${name} (listen=127.0.0.1:${port} ${options.extra ?? ''}) ${NODE} [${args}]`;
}

/** Parses "started NAME at MS" / "listening NAME at MS" lines of a log. */
export function timestamps(log: string, event: 'started' | 'listening'): number[] {
  return [...log.matchAll(new RegExp(`${event} \\S+ at (\\d+)`, 'g'))].map((m) => Number(m[1]));
}
