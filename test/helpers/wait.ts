import type { ChildProcess } from 'node:child_process';

/**
 * The one way tests wait: poll a condition until it holds, bounded by a timeout, and fail with an
 * error that names what was awaited (and, through `detail`, what was seen instead). Tests wait on
 * the condition a fixed sleep would only hope for: a file appears, a port answers, a pid is gone.
 */

export interface WaitOptions {
  /** What is awaited, for the timeout error: "the daemon to die", "nginx to log the request". */
  what: string;
  timeoutMs?: number;
  intervalMs?: number;
  /** What was seen instead, appended to the timeout error (the last state, a log's tail). */
  detail?: () => string;
}

/** A condition's "not yet": anything else it returns is the value waitFor resolves to. */
type NotYet = false | undefined | null;

/**
 * Resolves to the condition's first value other than false, undefined or null. A condition that
 * throws ends the wait with its error (a wait hides no failure): one that reads what may not
 * exist yet catches that itself.
 */
export async function waitFor<T>(condition: () => T | NotYet | Promise<T | NotYet>, options: WaitOptions): Promise<T> {
  const { what, timeoutMs = 15_000, intervalMs = 25 } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value !== false && value !== undefined && value !== null) return value;
    if (Date.now() >= deadline) throw new Error(timeoutMessage(what, timeoutMs, options.detail));
    await pause(Math.min(intervalMs, Math.max(1, deadline - Date.now())));
  }
}

function timeoutMessage(what: string, timeoutMs: number, detail?: () => string): string {
  const lines = [`timed out after ${timeoutMs} ms waiting for ${what}`];
  if (detail) {
    try {
      lines.push(`  seen instead: ${detail()}`);
    } catch (error) {
      lines.push(`  (describing what was seen failed: ${(error as Error).message})`);
    }
  }
  return lines.join('\n');
}

/**
 * A fixed pause. Only for the few tests whose point is that nothing happens for a while (a
 * program stays given up); each call says why its length is what it is.
 */
export function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A promise (a child's exit, an event) bounded by a timeout, whose timer is cleared when it
 * settles: a left-over timer would keep the test file's process alive after its last test.
 */
export async function within<T>(promise: Promise<T>, options: { what: string; timeoutMs: number }): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    const error = new Error(`timed out after ${options.timeoutMs} ms waiting for ${options.what}`);
    timer = setTimeout(() => reject(error), options.timeoutMs);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** A child's exit, also when it has already exited (a listener added then would never fire). */
export function exitOf(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}
