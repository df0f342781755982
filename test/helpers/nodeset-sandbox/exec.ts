/**
 * Runs one command to completion, bounded: on its timeout the command's whole process group is
 * killed (ansible-playbook forks workers and ssh clients), and the result says it timed out
 * rather than failing later for an unclear reason. Never a shell string: argv only.
 */
import { spawn } from 'node:child_process';

export interface ExecOptions {
  timeoutMs: number;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  input?: string;
}

export interface ExecResult {
  argv: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
  durationMs: number;
}

export function exec(argv: string[], options: ExecOptions): Promise<ExecResult> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), {
      env: options.env ?? process.env,
      cwd: options.cwd,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    // the output is complete at 'close'; but a daemon the command started may inherit the pipes
    // and hold them open, so after 'exit' wait for 'close' only briefly
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      let finished = false;
      const finish = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(grace);
        child.stdout.destroy();
        child.stderr.destroy();
        resolve({ argv, code, signal, timedOut, stdout, stderr, durationMs: Date.now() - started });
      };
      const grace = setTimeout(finish, 500);
      child.once('close', finish);
    });
    child.stdin.on('error', () => {
      /* the command may exit without reading its input */
    });
    child.stdin.end(options.input ?? '');
  });
}

/** exec, then throws unless the command exited 0; the error names the command and ends with its stderr. */
export async function execOk(argv: string[], options: ExecOptions): Promise<ExecResult> {
  const result = await exec(argv, options);
  if (result.code !== 0) {
    const why = result.timedOut ? `timed out after ${options.timeoutMs} ms` : `exited ${result.code ?? result.signal}`;
    throw new Error(`${argv.join(' ')} ${why}\n${(result.stderr || result.stdout).trim().slice(-2000)}`);
  }
  return result;
}
