/**
 * Readiness checks: a TCP port accepting connections, or an HTTP URL answering (with the expected
 * status, or any status below 500). Each probe is bounded; waitReady polls until the program is
 * ready, its process exits, or its readiness timeout passes.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import * as net from 'node:net';
import type { Readiness } from '../../src/recipe';

const PROBE_TIMEOUT_MS = 1000;

function probeTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: PROBE_TIMEOUT_MS });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

function probeHttp(url: string, status: number | undefined, hostHeader: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const client = url.startsWith('https:') ? https : http;
    const request = client.get(
      url,
      { timeout: PROBE_TIMEOUT_MS, rejectUnauthorized: false, headers: hostHeader ? { host: hostHeader } : {} },
      (response) => {
        response.resume();
        const code = response.statusCode ?? 0;
        resolve(status === undefined ? code > 0 && code < 500 : code === status);
      },
    );
    request.once('error', () => resolve(false));
    request.once('timeout', () => {
      request.destroy();
      resolve(false);
    });
  });
}

export function probe(ready: Readiness): Promise<boolean> {
  if (ready.kind === 'tcp') return probeTcp(ready.host, ready.port);
  if (ready.kind === 'http') return probeHttp(ready.url, ready.status, ready.host);
  return Promise.resolve(true);
}

/** What is being waited for, for the progress line ("tcp 127.0.0.1:8001"). */
export function describeReadiness(ready: Readiness): string {
  if (ready.kind === 'tcp') return `port ${ready.host.includes(':') ? `[${ready.host}]` : ready.host}:${ready.port}`;
  if (ready.kind === 'http') return `${ready.url}${ready.status ? ` answering ${ready.status}` : ''}`;
  return 'the process to stay up';
}

export type WaitOutcome = { ready: true; ms: number } | { ready: false; ms: number; why: 'exited' | 'timeout' };

/**
 * Polls until ready. `running()` says whether the process still lives; `minUptimeMs` is how long
 * a program without a check must stay up to count as started (supervisord's startsecs).
 */
export async function waitReady(
  ready: Readiness,
  timeoutMs: number,
  running: () => Promise<boolean>,
  minUptimeMs = 0,
): Promise<WaitOutcome> {
  const started = Date.now();
  // polls often at first and at most 50 ms apart: the whole cold start waits on each gate, and
  // a probe on loopback costs well under a millisecond
  for (let delay = 10; ; delay = Math.min(delay * 1.5, 50)) {
    const ms = Date.now() - started;
    if (!(await running())) return { ready: false, ms, why: 'exited' };
    if (ready.kind === 'none' ? ms >= minUptimeMs : await probe(ready)) {
      // a program that answers and dies at once is not ready: check it still lives
      if (await running()) return { ready: true, ms: Date.now() - started };
      return { ready: false, ms, why: 'exited' };
    }
    if (ms > timeoutMs) return { ready: false, ms, why: 'timeout' };
    await new Promise((r) => setTimeout(r, delay));
  }
}
