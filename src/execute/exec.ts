/**
 * runCommand: what recipes get as ctx.exec. argv only (no shell), an explicit working directory,
 * an environment built from a copy (the process's own is never changed), output captured and
 * optionally logged to a file, a bounded time, and on failure an error with the command, its exit
 * status, its directory and the last lines it printed. Children run in their own process group
 * so an interrupted run can stop a whole build.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import type { ExecOptions, ExecResult } from '../recipe';
import { installErrors } from '../errors/codes';

const running = new Set<number>();

/** Kills every child still running (used when the run is interrupted). */
export function killRunningCommands(): void {
  for (const pid of running) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
}

const KEEP = 64 * 1024; // bytes of output kept in memory per stream for the error message

function tail(text: string, lines: number): string[] {
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines);
}

export function commandLine(argv: string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(' ');
}

export function runCommand(argv: string[], options: ExecOptions, onStep?: (step: string) => void): Promise<ExecResult> {
  if (!argv.length || !argv[0]) return Promise.reject(installErrors.emptyCommand());
  const env = options.cleanEnv ? { ...options.env } : { ...process.env, ...options.env };
  if (options.step) onStep?.(options.step);
  return new Promise((resolve, reject) => {
    let log: WriteStream | undefined;
    if (options.logFile) log = createWriteStream(options.logFile, { flags: 'a' });
    log?.write(`$ ${commandLine(argv)}    (in ${options.cwd})\n`);
    // loaded only by runs that build
    const { spawn } = require('node:child_process') as typeof import('node:child_process');
    const child = spawn(argv[0], argv.slice(1), {
      cwd: options.cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });
    if (child.pid) running.add(child.pid);
    let stdout = '';
    let stderr = '';
    let both = '';
    const keep = (text: string, chunk: string): string => {
      const joined = text + chunk;
      return joined.length > KEEP ? joined.slice(-KEEP) : joined;
    };
    // piped: the bytes go on as they are (a decompressor's tar), neither decoded nor logged
    if (options.stdout) child.stdout.pipe(options.stdout);
    else
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout = keep(stdout, chunk);
        both = keep(both, chunk);
        log?.write(chunk);
      });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr = keep(stderr, chunk);
      both = keep(both, chunk);
      log?.write(chunk);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    const stop = (): void => {
      try {
        process.kill(-child.pid!, 'SIGTERM');
      } catch {
        /* gone */
      }
    };
    options.signal?.addEventListener('abort', stop, { once: true });
    if (options.signal?.aborted) stop();
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            /* gone */
          }
        }, options.timeoutMs)
      : undefined;
    const finish = (result: () => void): void => {
      if (timer) clearTimeout(timer);
      options.signal?.removeEventListener('abort', stop);
      if (child.pid) running.delete(child.pid);
      if (log) log.end(result);
      else result();
    };
    child.on('error', (error: NodeJS.ErrnoException) =>
      finish(() => {
        const details = [`command:   ${commandLine(argv)}`, `directory: ${options.cwd}`];
        reject(installErrors.cannotRun(argv[0], error.message, error.code === 'ENOENT', details));
      }),
    );
    child.on('close', (code, signal) =>
      finish(() => {
        const exit = code ?? 128;
        if (exit === 0 || options.allowFailure) {
          resolve({ code: exit, stdout, stderr });
          return;
        }
        const status = timedOut
          ? `was stopped after ${options.timeoutMs! / 1000} s`
          : signal
            ? `was killed by ${signal}`
            : `exited with status ${exit}`;
        const lines = tail(both, 20);
        reject(
          installErrors.commandFailed(options.step, argv[0], status, [
            `command:   ${commandLine(argv)}`,
            `directory: ${options.cwd}`,
            ...(options.logFile ? [`full log:  ${options.logFile}`] : []),
            ...(lines.length ? [`last lines of its output:`, ...lines.map((l) => `  | ${l}`)] : []),
          ]),
        );
      }),
    );
  });
}
