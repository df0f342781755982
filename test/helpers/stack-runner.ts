/**
 * StackRunner: starts the programs the parts of an assembled tree declared (recorded in
 * .installed.json under each part's `programs`) directly from a script, without the process
 * manager: in priority order, each priority group only after the previous one is ready (port
 * open, or its HTTP check answering), every program in its own process group, as its user when
 * we are root, with exactly its declared environment; stopped in reverse order with its own
 * stop signal, by pid, waiting at most its stop timeout before SIGKILL. The tests start the
 * stack with bin/supervisord; the benchmarks use this as the baseline "by a script" (what the
 * process manager adds) and to time each daemon's own start. Output goes to
 * var/log/<program>.runner.log. Anything still running when the process exits is killed.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProgramSpec } from '../../src/recipe';
import { waitUntilReady } from './readiness';
import { waitFor } from './wait';

export interface Running {
  spec: ProgramSpec;
  child: ChildProcess;
  pid: number;
  startedAt: number;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const everyGroup = new Set<number>();

function killEveryGroup(): void {
  for (const pgid of everyGroup) {
    try {
      process.kill(-pgid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

// a failing or interrupted test run must not leave daemons behind
process.on('exit', killEveryGroup);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killEveryGroup();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 } as const)[signal]);
  });
}

function userIds(name: string | undefined): { uid?: number; gid?: number } {
  if (!name || process.getuid?.() !== 0) return {};
  const entry = spawnSync('getent', ['passwd', name], { encoding: 'utf8' }).stdout.trim().split(':');
  return entry.length > 3 ? { uid: Number(entry[2]), gid: Number(entry[3]) } : {};
}

export function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class StackRunner {
  readonly running = new Map<string, Running>();
  readonly specs: ProgramSpec[];

  constructor(readonly dir: string) {
    const state = JSON.parse(readFileSync(path.join(dir, '.installed.json'), 'utf8')) as {
      order: string[];
      parts: Record<string, { programs?: ProgramSpec[] }>;
    };
    this.specs = state.order.flatMap((part) => state.parts[part].programs ?? []);
  }

  spec(name: string): ProgramSpec {
    const spec = this.specs.find((s) => s.name === name);
    if (!spec) throw new Error(`no program named ${name} (have: ${this.specs.map((s) => s.name).join(', ')})`);
    return spec;
  }

  logFile(name: string): string {
    return path.join(this.dir, 'var', 'log', `${name}.runner.log`);
  }

  /** The last lines a program printed (for failure messages). */
  tail(name: string, lines = 15): string {
    try {
      return readFileSync(this.logFile(name), 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
    } catch {
      return '(no output)';
    }
  }

  /** Launches one program without waiting for it. */
  launch(name: string): Running {
    if (this.running.has(name)) throw new Error(`${name} is running already`);
    const spec = this.spec(name);
    const out = openSync(this.logFile(name), 'a');
    const child = spawn(spec.command[0], spec.command.slice(1), {
      cwd: spec.directory ?? this.dir,
      env: spec.environment ?? {},
      detached: true,
      stdio: ['ignore', out, out],
      ...userIds(spec.user),
    });
    closeSync(out);
    if (!child.pid) throw new Error(`${name} could not be started: ${spec.command[0]}`);
    everyGroup.add(child.pid);
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once('exit', (code, signal) => resolve({ code, signal })),
    );
    const running: Running = { spec, child, pid: child.pid, startedAt: Date.now(), exited };
    this.running.set(name, running);
    void exited.then(() => {
      if (this.running.get(name) === running) this.running.delete(name);
    });
    return running;
  }

  /** Launches one program and waits for its readiness check. */
  async start(name: string): Promise<number> {
    const running = this.launch(name);
    await waitUntilReady(running, () => this.tail(name));
    return Date.now() - running.startedAt;
  }

  /** Every program, priority group by priority group; returns ms per group. */
  async startAll(): Promise<Array<{ priority: number; names: string[]; ms: number }>> {
    const report = [];
    for (const priority of [...new Set(this.specs.map((s) => s.priority))].sort((a, b) => a - b)) {
      const names = this.specs.filter((s) => s.priority === priority).map((s) => s.name);
      const started = Date.now();
      await Promise.all(names.map((n) => this.start(n)));
      report.push({ priority, names, ms: Date.now() - started });
    }
    return report;
  }

  /** Stops one program with its stop signal; SIGKILL after its stop timeout. Resolves when its group is gone. */
  async stop(
    name: string,
  ): Promise<{ ms: number; killed: boolean; code: number | null; signal: NodeJS.Signals | null }> {
    const running = this.running.get(name);
    if (!running) return { ms: 0, killed: false, code: null, signal: null };
    const started = Date.now();
    const { spec, pid } = running;
    try {
      process.kill(spec.ownProcessGroup ? pid : -pid, spec.stopSignal);
    } catch {
      /* already gone */
    }
    let killed = false;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), spec.stopTimeoutMs);
    });
    const outcome = await Promise.race([running.exited.then(() => 'exited' as const), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      killed = true;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    const result = await running.exited;
    // workers (nginx, haproxy, varnish's child) leave with their master; what lingers is killed
    const gone = { what: `${spec.name}'s process group to go`, timeoutMs: 2000, intervalMs: 20 };
    await waitFor(() => !groupAlive(pid), gone).catch(() => undefined);
    if (groupAlive(pid)) {
      killed = true;
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    everyGroup.delete(pid);
    return { ms: Date.now() - started, killed, ...result };
  }

  /** Everything, in reverse priority order (a group's programs in parallel). */
  async stopAll(): Promise<Record<string, Awaited<ReturnType<StackRunner['stop']>>>> {
    const results: Record<string, Awaited<ReturnType<StackRunner['stop']>>> = {};
    for (const priority of [...new Set(this.specs.map((s) => s.priority))].sort((a, b) => b - a)) {
      const names = this.specs.filter((s) => s.priority === priority && this.running.has(s.name)).map((s) => s.name);
      await Promise.all(
        names.map(async (n) => {
          results[n] = await this.stop(n);
        }),
      );
    }
    return results;
  }

  /** The process groups this runner started that still have a process. */
  liveGroups(): number[] {
    return [...everyGroup].filter(groupAlive);
  }
}
