/**
 * HAProxy's runtime API (the stats socket, `level admin`), for draining and re-enabling a
 * backend server without a reload: one command per connection (the socket's non-interactive
 * mode: haproxy answers and closes), every wait bounded. Reads `show stat` (the CSV: status,
 * scur = current sessions) and `show servers conn` (used and idle server-side connections).
 *
 * The commands go through a Runtime, a function from one command to its answer: here a UNIX
 * socket the caller can open (the sandbox's hosts share one filesystem); on real machines the
 * same commands run on the balancer (over ssh, or Ansible's community.general.haproxy).
 *
 *   const runtime = unixSocketRuntime('/srv/zetaserver/shared/run/haproxy.sock');
 *   await drainServer(runtime, 'be', 'app1', { timeoutMs: 10_000 });   // no new sessions; wait for scur 0
 *   ... restart app1 ...
 *   await enableServer(runtime, 'be', 'app1', { timeoutMs: 10_000 }); // ready; wait until its check says UP
 */
import * as net from 'node:net';
import { waitFor } from '../wait';

export type ServerState = 'ready' | 'drain' | 'maint';

/** Sends one runtime API command and resolves to haproxy's answer. */
export type Runtime = (command: string) => Promise<string>;

export function unixSocketRuntime(socket: string, timeoutMs = 5000): Runtime & { socket: string } {
  return Object.assign((command: string) => runtimeCommand(socket, command, timeoutMs), { socket });
}

function runtimeCommand(socket: string, command: string, timeoutMs: number): Promise<string> {
  if (/[\n;]/.test(command))
    throw new Error(`haproxy runtime command ${JSON.stringify(command)}: one command, ` + `no newline or ';'`);
  return new Promise((resolve, reject) => {
    const connection = net.connect(socket);
    let answer = '';
    const timer = setTimeout(
      () =>
        connection.destroy(
          new Error(`haproxy runtime API ${socket}: no answer to ` + `"${command}" within ${timeoutMs} ms`),
        ),
      timeoutMs,
    );
    connection.setEncoding('utf8');
    connection.on('connect', () => connection.write(`${command}\n`)); // no half-close: haproxy answers, then closes
    connection.on('data', (chunk: string) => (answer += chunk));
    connection.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    connection.on('close', () => {
      clearTimeout(timer);
      resolve(answer);
    });
  });
}

/**
 * `show stat` as one record per proxy/server row, keyed by the CSV header's names (pxname, svname, status, scur, ...).
 */
export function parseShowStat(answer: string): Array<Record<string, string>> {
  const lines = answer.split('\n').filter(Boolean);
  if (!lines[0]?.startsWith('# ')) throw new Error(`haproxy show stat: unexpected answer: ${lines[0]}`);
  const header = lines[0].slice(2).split(',');
  return lines.slice(1).map((line) => Object.fromEntries(line.split(',').map((value, i) => [header[i], value])));
}

export interface ServerView {
  /** UP, DOWN, DRAIN, MAINT, "UP 1/2" (rising), "no check", ... */
  status: string;
  /** Current sessions on the server. */
  scur: number;
  /** Server-side connections: carrying a request, and idle in the reuse pool (from `show servers conn`). */
  usedConnections: number;
  idleConnections: number;
  /** Requests the server has answered, by class, and connection / response errors. */
  hrsp2xx: number;
  hrsp5xx: number;
  econ: number;
  eresp: number;
  checkStatus: string;
}

/** `show servers conn <backend>`: the numeric columns of one server's line (used_cur, idle_cur, ...). */
export function parseServersConn(answer: string, backend: string, server: string): Record<string, number> {
  const lines = answer.split('\n');
  if (!lines[0]?.startsWith('# ')) throw new Error(`haproxy show servers conn: unexpected answer: ${lines[0]}`);
  const header = lines[0].slice(2).split(' ');
  const mine = lines.find((l) => l.startsWith(`${backend}/${server} `))?.split(' ');
  if (!mine) throw new Error(`haproxy: no server ${backend}/${server} in show servers conn`);
  return Object.fromEntries(header.map((name, i) => [name, Number(mine[i])]));
}

export async function serverView(runtime: Runtime, backend: string, server: string): Promise<ServerView> {
  const row = parseShowStat(await runtime('show stat')).find((r) => r.pxname === backend && r.svname === server);
  if (!row) throw new Error(`haproxy: no server ${backend}/${server} in show stat`);
  const conn = parseServersConn(await runtime(`show servers conn ${backend}`), backend, server);
  const column = (name: string): number => conn[name];
  return {
    status: row.status,
    scur: Number(row.scur),
    usedConnections: column('used_cur'),
    idleConnections: column('idle_cur'),
    hrsp2xx: Number(row.hrsp_2xx),
    hrsp5xx: Number(row.hrsp_5xx),
    econ: Number(row.econ || 0),
    eresp: Number(row.eresp || 0),
    checkStatus: row.check_status,
  };
}

/** `set server <backend>/<server> state <state>`; haproxy answers nothing on success, an explanation otherwise. */
export async function setServerState(
  runtime: Runtime,
  backend: string,
  server: string,
  state: ServerState,
): Promise<void> {
  const answer = (await runtime(`set server ${backend}/${server} state ${state}`)).trim();
  if (answer) throw new Error(`haproxy: set server ${backend}/${server} state ${state}: ${answer}`);
}

export interface WaitOptions {
  timeoutMs: number;
  everyMs?: number;
}

/** Waits until the server's view passes `check`; returns that view. */
export function waitForServer(
  runtime: Runtime,
  backend: string,
  server: string,
  what: string,
  check: (view: ServerView) => boolean,
  options: WaitOptions,
): Promise<ServerView> {
  return waitFor(
    async () => {
      const view = await serverView(runtime, backend, server);
      return check(view) ? view : undefined;
    },
    {
      what: `haproxy's ${backend}/${server} to be ${what}`,
      timeoutMs: options.timeoutMs,
      intervalMs: options.everyMs ?? 25,
    },
  );
}

/** Drain: no new sessions go to the server; waits until its current sessions are done (scur 0). */
export async function drainServer(
  runtime: Runtime,
  backend: string,
  server: string,
  options: WaitOptions,
): Promise<ServerView> {
  await setServerState(runtime, backend, server, 'drain');
  return waitForServer(
    runtime,
    backend,
    server,
    'drained (no current session)',
    (v) => v.status.startsWith('DRAIN') && v.scur === 0 && v.usedConnections === 0,
    options,
  );
}

/** Back to ready, then waits until haproxy's own health check says UP (a server without `check` never will). */
export async function enableServer(
  runtime: Runtime,
  backend: string,
  server: string,
  options: WaitOptions,
): Promise<ServerView> {
  await setServerState(runtime, backend, server, 'ready');
  return waitForServer(runtime, backend, server, 'UP by its health check', (v) => v.status === 'UP', options);
}
