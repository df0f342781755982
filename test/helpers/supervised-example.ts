/**
 * The example deployment (a copy with shifted ports, test/helpers/example-deployment.ts) run by
 * its generated process manager: bin/supervisord and bin/supervisorctl as subprocesses. They run
 * asynchronously, so a test's probes keep requesting while a command runs, and every run is
 * bounded. teardown() shuts the stack down and then kills, by pid, pm2's daemon, its process
 * tree and every program pid seen, whatever happened, removes the pm2 home and the copy.
 */
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { exampleDeployment, type ExampleDeployment } from './example-deployment';
import { killTree } from './supervisor';
import { commandLine, processTree } from '../../programs/process-manager/proc-info';
import type { SupervisorConfig } from '../../programs/process-manager/config';

export interface CommandResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

export interface ProgramStatus {
  name: string;
  state: string;
  pid: number | null;
  lastExitCode: number | null;
  ready: boolean | null;
  priority: number;
  [key: string]: unknown;
}

export interface MonitorEvent {
  ts: number;
  event: string;
  detail: string;
}

// a failed or interrupted run must not leave a stack behind
const live = new Set<SupervisedExample>();
process.on('exit', () => {
  for (const example of live) example.killEverything();
});

export class SupervisedExample {
  readonly seenPids = new Set<number>();
  private readonly pm2Home: string;

  private constructor(readonly stack: ExampleDeployment) {
    this.pm2Home = this.config().pm2Home;
    live.add(this);
  }

  /** The process manager's configuration as the supervisor part wrote it. */
  config(): SupervisorConfig {
    return JSON.parse(
      readFileSync(path.join(this.stack.dir, 'parts', 'supervisor', 'supervisor.json'), 'utf8'),
    ) as SupervisorConfig;
  }

  /** Copies and assembles the example (extra `section:option=value` assignments allowed). */
  static async assemble(...assignments: string[]): Promise<SupervisedExample> {
    const stack = await exampleDeployment();
    const assembled = await stack.assemble(...assignments);
    if (assembled.status !== 0) {
      stack.cleanup();
      throw new Error(`assembly failed (${assembled.status}):\n${assembled.stderr}`);
    }
    return new SupervisedExample(stack);
  }

  /** A copy assembled by someone else (scripts/start-stack.js, say), to drive and tear down. */
  static adopt(stack: ExampleDeployment): SupervisedExample {
    return new SupervisedExample(stack);
  }

  get dir(): string {
    return this.stack.dir;
  }

  run(script: string, args: string[], timeoutMs = 60_000, env: NodeJS.ProcessEnv = {}): Promise<CommandResult> {
    const started = Date.now();
    return new Promise((resolve) => {
      const child = spawn(path.join(this.dir, 'bin', script), args, { env: { ...process.env, NO_COLOR: '1', ...env } });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr, ms: Date.now() - started });
      });
    });
  }

  supervisord(timeoutMs = 120_000): Promise<CommandResult> {
    return this.run('supervisord', [], timeoutMs);
  }

  ctl(...args: string[]): Promise<CommandResult> {
    return this.run('supervisorctl', args, 120_000);
  }

  /** `supervisorctl status --json`, remembering every pid for the teardown. */
  async status(): Promise<ProgramStatus[]> {
    const result = await this.ctl('status', '--json');
    if (result.status !== 0) throw new Error(`status failed (${result.status}): ${result.stderr}`);
    const { programs } = JSON.parse(result.stdout) as { programs: ProgramStatus[] };
    for (const p of programs) if (p.pid) this.seenPids.add(p.pid);
    return programs;
  }

  async program(name: string): Promise<ProgramStatus> {
    const found = (await this.status()).find((p) => p.name === name);
    if (!found) throw new Error(`no program ${name} in the status`);
    return found;
  }

  /** The monitor's events of one program, oldest first. */
  async events(name: string): Promise<MonitorEvent[]> {
    const result = await this.ctl('history', name, '--json', '--limit', '500');
    if (result.status !== 0) throw new Error(`history failed (${result.status}): ${result.stderr}`);
    return (JSON.parse(result.stdout) as { events: MonitorEvent[] }).events.sort((a, b) => a.ts - b.ts);
  }

  daemonPid(): number | undefined {
    try {
      return Number(readFileSync(path.join(this.pm2Home, 'pm2.pid'), 'utf8').trim()) || undefined;
    } catch {
      return undefined;
    }
  }

  /** Every process under pm2's daemon, the daemon included. */
  processes(): number[] {
    const daemon = this.daemonPid();
    return daemon ? processTree(daemon) : [];
  }

  /**
   * SIGKILL by pid: the daemon's tree and every program pid seen (synchronous: also at exit).
   * Only pids that are still ours: the daemon names its home, every program's command line
   * names the tree (a pid reused by another process is left alone).
   */
  killEverything(): void {
    const daemon = this.daemonPid();
    if (daemon && commandLine(daemon).includes(this.pm2Home)) killTree(daemon);
    for (const pid of this.seenPids) {
      if (!commandLine(pid).includes(this.dir)) continue;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* not a group leader, or gone */
      }
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
  }

  async teardown(): Promise<void> {
    try {
      await this.status().catch(() => undefined);
      await this.ctl('shutdown');
    } finally {
      this.killEverything();
      if (this.pm2Home.startsWith('/tmp/zs-')) rmSync(this.pm2Home, { recursive: true, force: true });
      live.delete(this);
      this.stack.cleanup();
    }
  }
}
