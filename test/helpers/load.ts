/**
 * A bounded load loop for the porter tests: a few workers send requests, one after another, to a
 * list of Host names through the porter, each on a fresh connection (or, with keepAlive, reusing
 * connections the way a browser does), and record when each started and ended and what came back.
 * Bounded by a request count and a time limit, so a hung porter cannot hang the test.
 */
import * as http from 'node:http';

export interface Sample {
  host: string;
  startedAt: number;
  endedAt: number;
  status?: number;
  backend?: string;
  error?: string;
  /** The answer's body. */
  body?: string;
  /** A reused keep-alive connection was reset before any answer, and the request sent again. */
  retried?: string;
  /** For an error: whether the connection that failed was new or a reused keep-alive one. */
  connection?: 'new' | 'reused';
}

export interface LoadOptions {
  port: number;
  hosts: string[];
  workers: number;
  keepAlive?: boolean;
  maxRequests?: number;
  maxMs?: number;
  /** The URL path asked for (/load). */
  path?: string;
  /** Send a request again once when a reused connection was reset (true); false counts the reset as the answer. */
  retry?: boolean;
}

/**
 * Sockets that have carried a request. Node's `request.reusedSocket` is not enough: when the next
 * request is queued before the agent has put the previous one's socket back in its free list, the
 * agent hands that socket straight to it and leaves reusedSocket false (seen as rare "failures"
 * on "new" connections that had carried hundreds of requests).
 */
const usedSockets = new WeakSet<object>();

function once(
  port: number,
  host: string,
  agent: http.Agent | false,
  startedAt = Date.now(),
  how: { path: string; retry: boolean } = { path: '/load', retry: true },
): Promise<Sample> {
  return new Promise((resolve) => {
    const req = http.request(
      { host: '127.0.0.1', port, path: how.path, headers: { host }, agent, timeout: 10_000 },
      (res) => {
        let body = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        res.on('end', () => {
          let backend: string | undefined;
          try {
            backend = (JSON.parse(body) as { backend?: string }).backend;
          } catch {
            backend = undefined;
          }
          resolve({ host, startedAt, endedAt: Date.now(), status: res.statusCode, backend, body });
        });
        res.on('error', (error) => resolve({ host, startedAt, endedAt: Date.now(), error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    let reused = false;
    req.on('socket', (socket) => {
      reused = req.reusedSocket || usedSockets.has(socket);
      usedSockets.add(socket);
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // a server may close an idle keep-alive connection just as the next request goes out
      // (nginx does, when a reload stops the old workers); RFC 9112 9.3.1 lets a client send an
      // idempotent request again on a new connection, and browsers do: so does this loop, once
      if (reused && error.code === 'ECONNRESET' && how.retry) {
        resolve(once(port, host, false, startedAt, how).then((sample) => ({ ...sample, retried: error.code })));
        return;
      }
      resolve({
        host,
        startedAt,
        endedAt: Date.now(),
        error: error.code ?? error.message,
        connection: reused ? 'reused' : 'new',
      });
    });
    req.end();
  });
}

export class LoadLoop {
  readonly samples: Sample[] = [];
  private stopped = false;
  private readonly done: Promise<void>;
  private readonly agent: http.Agent | false;

  constructor(options: LoadOptions) {
    this.agent = options.keepAlive ? new http.Agent({ keepAlive: true, maxSockets: options.workers }) : false;
    const deadline = Date.now() + (options.maxMs ?? 120_000);
    const max = options.maxRequests ?? 100_000;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (!this.stopped && Date.now() < deadline && this.samples.length < max) {
        const host = options.hosts[next++ % options.hosts.length];
        const how = { path: options.path ?? '/load', retry: options.retry ?? true };
        this.samples.push(await once(options.port, host, this.agent, Date.now(), how));
      }
    };
    this.done = Promise.all(Array.from({ length: options.workers }, worker)).then(() => undefined);
  }

  async stop(): Promise<Sample[]> {
    this.stopped = true;
    await this.done;
    if (this.agent) this.agent.destroy();
    return this.samples;
  }
}
