import { spawnSync, spawn } from 'node:child_process';
import { ASSEMBLE, REFERENCE_PYTHON, ROOT } from './paths';
import * as path from 'node:path';

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/assemble synchronously, bounded by a timeout. */
export function assemble(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): RunResult {
  const result = spawnSync(ASSEMBLE, args, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Runs bin/assemble asynchronously (for tests that serve HTTP from the same process). */
export function assembleAsync(
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number } = {},
): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(ASSEMBLE, args, {
      cwd: options.cwd ?? ROOT,
      env: { ...process.env, NO_COLOR: '1', ...options.env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

export interface ReferenceJob {
  file: string;
  args?: string[];
}

export type ReferenceResult = { sections: Record<string, Record<string, string>> } | { error: string };

/** Resolves configurations with zc.buildout 2.13 in one Python process. */
export function resolveWithReference(jobs: ReferenceJob[]): ReferenceResult[] {
  const script = path.join(ROOT, 'test', 'reference', 'resolve_many.py');
  const result = spawnSync(REFERENCE_PYTHON, [script], {
    input: JSON.stringify(jobs),
    encoding: 'utf8',
    timeout: 120_000,
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`reference resolver failed: ${result.stderr}`);
  return JSON.parse(result.stdout) as ReferenceResult[];
}

/** resolveWithReference without blocking the event loop (for configs served by this process). */
export function resolveWithReferenceAsync(jobs: ReferenceJob[]): Promise<ReferenceResult[]> {
  const script = path.join(ROOT, 'test', 'reference', 'resolve_many.py');
  return new Promise((resolve, reject) => {
    const child = spawn(REFERENCE_PYTHON, [script], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      if (status !== 0) reject(new Error(`reference resolver failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as ReferenceResult[]);
    });
    child.stdin.end(JSON.stringify(jobs));
  });
}
