/**
 * haproxy's runtime API over its admin stats socket (`stats socket ... level admin`), for the
 * rolling restart: put a server in drain (no new requests, current ones finish), read its
 * current sessions and state from `show stat`, and make it ready again. One command per
 * connection, as haproxy closes a non-interactive session after answering.
 */
import { createConnection } from 'node:net';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

const ANSWER_TIMEOUT_MS = 5000;

/** Sends one command and returns haproxy's answer. */
export function haproxyCommand(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const connection = createConnection(socket);
    let answer = '';
    const timer = setTimeout(() => {
      connection.destroy();
      reject(
        processManagerErrors.startFailed(
          `haproxy's runtime API at ${socket} did not answer "${command}" within ${ANSWER_TIMEOUT_MS / 1000} s`,
        ),
      );
    }, ANSWER_TIMEOUT_MS);
    connection.setEncoding('utf8');
    connection.on('connect', () => connection.write(`${command}\n`));
    connection.on('data', (chunk: string) => {
      answer += chunk;
    });
    connection.on('end', () => {
      clearTimeout(timer);
      resolve(answer);
    });
    connection.on('error', (error) => {
      clearTimeout(timer);
      reject(
        processManagerErrors.startFailed(
          `cannot reach haproxy's runtime API at ${socket}: ${error.message}`,
          'is haproxy running, with the stats socket its part configures?',
        ),
      );
    });
  });
}

/** A server's row of `show stat`: its current sessions and status (UP, DOWN, DRAIN, MAINT, ...). */
export interface ServerStat {
  sessions: number;
  status: string;
}

export function parseServerStat(csv: string, backend: string, server: string): ServerStat | undefined {
  const lines = csv.split('\n');
  const header = (lines[0] ?? '').replace(/^# /, '').split(',');
  const scur = header.indexOf('scur');
  const status = header.indexOf('status');
  for (const line of lines.slice(1)) {
    const fields = line.split(',');
    if (fields[0] === backend && fields[1] === server)
      return { sessions: Number(fields[scur]), status: fields[status] };
  }
  return undefined;
}

export async function serverStat(socket: string, backend: string, server: string): Promise<ServerStat | undefined> {
  return parseServerStat(await haproxyCommand(socket, 'show stat'), backend, server);
}

/** `set server BACKEND/SERVER state drain|ready`; haproxy answers nothing when it worked. */
export async function setServerState(
  socket: string,
  backend: string,
  server: string,
  state: 'drain' | 'ready',
): Promise<void> {
  const answer = (await haproxyCommand(socket, `set server ${backend}/${server} state ${state}`)).trim();
  if (answer)
    throw processManagerErrors.startFailed(
      `haproxy refused "set server ${backend}/${server} state ${state}": ${answer}`,
    );
}
