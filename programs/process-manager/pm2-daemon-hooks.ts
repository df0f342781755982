/**
 * Loaded into pm2's daemon before pm2 itself (`node --require THIS pm2/lib/Daemon.js`, see
 * pm2-client.ts). pm2 7 records a child's exit as `code || 0` and drops the signal, so a
 * program killed by SIGKILL (by hand, or by the OOM killer) looked like a clean exit 0. This
 * hook wraps child_process.spawn, which pm2's fork mode looks up at each spawn, and when a child
 * exits it stores the signal on the app as `pm2_env.exit_signal` (null after a plain exit). Its
 * exit listener is attached at spawn, before pm2's own, so pm2's exit event and its list already
 * carry the signal. Nothing else of pm2 is touched.
 */
import type { ChildProcess } from 'node:child_process';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const childProcess = require('node:child_process') as typeof import('node:child_process');
const spawn = childProcess.spawn;

function hooked(this: unknown, ...args: unknown[]): ChildProcess {
  const child = (spawn as (...a: unknown[]) => ChildProcess).apply(this, args);
  child.once('exit', (_code, signal) => {
    // pm2's fork mode sets pm2_env on the child right after spawning it
    const env = (child as ChildProcess & { pm2_env?: Record<string, unknown> }).pm2_env;
    if (env) env.exit_signal = signal ?? null;
  });
  return child;
}

childProcess.spawn = hooked as typeof childProcess.spawn;
