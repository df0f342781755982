/**
 * Readiness checks as a ProgramSpec declares them: a TCP port that accepts, or an HTTP URL that
 * answers (with the given status; any 2xx/3xx without one). Polled until the program's ready
 * timeout; a program that exits meanwhile fails at once, with its last output.
 */
import * as http from 'node:http';
import * as net from 'node:net';
import type { Readiness } from '../../src/recipe';
import type { Running } from './stack-runner';
import { waitFor } from './wait';

function tcpOpen(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

function httpAnswers(url: string, status: number | undefined, host: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent: false, timeout: 1000, headers: host ? { host } : {} }, (response) => {
      response.resume();
      const code = response.statusCode ?? 0;
      resolve(status ? code === status : code >= 200 && code < 400);
    });
    request.once('error', () => resolve(false));
    request.once('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

export function checkOnce(ready: Readiness): Promise<boolean> {
  if (ready.kind === 'tcp') return tcpOpen(ready.host, ready.port);
  if (ready.kind === 'http') return httpAnswers(ready.url, ready.status, ready.host);
  return Promise.resolve(true);
}

export async function waitUntilReady(running: Running, tail: () => string): Promise<void> {
  const { spec } = running;
  let exited: { code: number | null; signal: string | null } | undefined;
  void running.exited.then((e) => {
    exited = e;
  });
  await waitFor(
    () => {
      if (exited)
        throw new Error(
          `${spec.name} exited (code ${exited.code}, signal ${exited.signal}) before it was ready:\n${tail()}`,
        );
      return checkOnce(spec.ready);
    },
    {
      what: `${spec.name} to be ready (${JSON.stringify(spec.ready)})`,
      intervalMs: 10,
      detail: () => `its output:\n${tail()}`,
      timeoutMs: Math.max(0, running.startedAt + spec.readyTimeoutMs - Date.now()),
    },
  );
}
