/**
 * Talking to a running nginx of the tree: find its master from the pid file, check a new config
 * with `nginx -t`, and ask for a graceful reload (SIGHUP: the master reads the new config, starts
 * new workers and lets the old ones finish the requests they hold, so none is dropped).
 * Shared by every tool that changes a running nginx (bin/porter; the stack's nginx later).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { testCommand, type NginxLayout } from './layout';

/**
 * The pid of this layout's running master, or undefined. A pid file left by a killed nginx may
 * name a pid reused by another program: it counts only if that process is an nginx started with
 * this layout's config file.
 */
export function runningMaster(layout: NginxLayout): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(readFileSync(layout.pidFile, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1) return undefined;
  let argv: string[];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
  } catch {
    return undefined;
  }
  // the master rewrites its title ("nginx: master process /usr/sbin/nginx -p ... -c CONF ...")
  const title = argv.join(' ');
  return title.includes('nginx') && title.includes(layout.conf) ? pid : undefined;
}

export interface ConfigCheck {
  ok: boolean;
  /** nginx's own words (the "[emerg] ..." lines) when it refused the file. */
  output: string;
}

/** Runs `nginx -t` on a config file; bounded, so a hung resolver cannot hang the caller. */
export function checkConfig(binary: string, layout: NginxLayout, conf = layout.conf, timeoutMs = 30_000): ConfigCheck {
  const [command, ...args] = testCommand(binary, layout, conf);
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: timeoutMs, env: {} });
  if (result.error) return { ok: false, output: `${command} could not run: ${result.error.message}` };
  const output = `${result.stdout}${result.stderr}`.trim();
  return { ok: result.status === 0, output };
}

/** Asks the master for a graceful reload. */
export function reloadMaster(pid: number): void {
  process.kill(pid, 'SIGHUP');
}

/** The master's children (its workers) now, from /proc. */
export function workerPids(master: number): number[] {
  const children: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // /proc/PID/stat: "pid (comm) state ppid ..."; comm may hold spaces, so split after ")"
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === master) children.push(Number(entry));
    } catch {
      // exited while we looked
    }
  }
  return children;
}

/**
 * Whether a worker still accepts new connections. After a reload the master starts the new
 * workers, waits about 100 ms, and only then tells the old ones to stop; an old worker closes its
 * listening sockets and retitles itself "worker process is shutting down", or just exits when idle.
 */
export function stillAccepting(worker: number): boolean {
  try {
    return !readFileSync(`/proc/${worker}/cmdline`, 'utf8').includes('shutting down');
  } catch {
    return false; // gone
  }
}
