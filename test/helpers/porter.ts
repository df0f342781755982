/**
 * Helpers for the porter tests: real backends and the real nginx as child processes (each in its
 * own process group, stopped by pid, and killed on exit even when a test fails), bin/porter runs,
 * and HTTP requests with a chosen Host header (fresh connection each, like a new visitor).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync } from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import type { ProgramSpec } from '../../src/recipe';
import { Deployment } from './deployment';
import { freePort, waitForPort } from './ports';

const running = new Map<number, ChildProcess>();
process.on('exit', () => {
  for (const pid of running.keys()) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

export interface Started {
  pid: number;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise((resolve) => child.once('exit', () => resolve()));
}

/** Spawns argv in its own process group; stop() signals the leader, then kills the group if it lingers. */
function launch(argv: string[], env: NodeJS.ProcessEnv): { child: ChildProcess; started: Started } {
  const child = spawn(argv[0], argv.slice(1), { detached: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  const pid = child.pid!;
  running.set(pid, child);
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  (child as ChildProcess & { output: () => string }).output = () => output;
  const started: Started = {
    pid,
    async stop(signal = 'SIGTERM') {
      try {
        process.kill(pid, signal);
      } catch {
        /* gone */
      }
      const timer = setTimeout(() => {
        try {
          process.kill(-pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }, 15_000);
      await exited(child);
      clearTimeout(timer);
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        /* the group is gone too */
      }
      running.delete(pid);
    },
  };
  return { child, started };
}

export interface Backend extends Started {
  name: string;
  port: number;
  address: string;
}

const BACKEND_SCRIPT = path.join(__dirname, 'porter-backend.js');

export async function startBackend(name: string, port?: number): Promise<Backend> {
  const chosen = port ?? (await freePort());
  const { child, started } = launch([process.execPath, BACKEND_SCRIPT, name, String(chosen)], {});
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`backend ${name} did not start on ${chosen}`)), 20_000);
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`backend ${name} exited (${code})`));
    });
  });
  return { ...started, name, port: chosen, address: `127.0.0.1:${chosen}` };
}

/** Starts a program as the process manager would: its argv, its environment, ready when its port answers. */
export async function startProgram(program: ProgramSpec): Promise<Started & { output(): string }> {
  const { child, started } = launch(program.command, program.environment ?? {});
  const ready = program.ready.kind === 'tcp' ? program.ready : undefined;
  if (ready) {
    await Promise.race([
      waitForPort(ready.port, ready.host, 20_000),
      exited(child).then(() => {
        throw new Error(
          `${program.name} exited at start: ${(child as ChildProcess & { output: () => string }).output()}`,
        );
      }),
    ]);
  }
  return {
    ...started,
    output: (child as ChildProcess & { output: () => string }).output,
    stop: (signal = program.stopSignal) => started.stop(signal),
  };
}

/** A deployment directory nginx's workers (user nobody) can enter, as a real tree would be. */
export function porterDeployment(config: string): Deployment {
  const deployment = new Deployment(config);
  chmodSync(deployment.dir, 0o755);
  return deployment;
}

export function programOf(d: Deployment, part = 'porter'): ProgramSpec {
  return (d.state().parts[part] as unknown as { programs: ProgramSpec[] }).programs[0];
}

export interface PorterRun {
  status: number | null;
  stdout: string;
  stderr: string;
  startedAt: number;
  endedAt: number;
}

/** Runs the deployment's bin/porter (bounded by a timeout). */
export function porter(d: Deployment, ...args: string[]): Promise<PorterRun> {
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(d.path('bin', 'porter'), args, { env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    const timer = setTimeout(() => child.kill('SIGKILL'), 90_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, startedAt, endedAt: Date.now() });
    });
  });
}

export interface Answer {
  status: number;
  body: string;
  headers: http.IncomingHttpHeaders;
  /** The backend's JSON, when a test backend answered. */
  json?: { backend: string; url: string; host: string; method: string };
}

/** GET with a Host header on a fresh connection. */
export function get(
  port: number,
  host: string,
  urlPath = '/',
  options: { localAddress?: string; timeoutMs?: number } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: urlPath,
        headers: { host },
        agent: false,
        localAddress: options.localAddress,
        timeout: options.timeoutMs ?? 15_000,
      },
      (res) => {
        let body = '';
        res
          .setEncoding('utf8')
          .on('data', (chunk: string) => (body += chunk))
          .on('end', () => {
            let json;
            try {
              json = res.headers['content-type'] === 'application/json' ? JSON.parse(body) : undefined;
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode!, body, headers: res.headers, json });
          });
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`GET ${host}${urlPath} timed out`)));
    req.on('error', reject);
    req.end();
  });
}
