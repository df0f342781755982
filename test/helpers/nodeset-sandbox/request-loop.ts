/**
 * A bounded request loop for rollout scenarios: a few workers send GET requests one after another
 * to one URL, each on a new connection, no retry, and record what came back and when. Bounded by
 * a request count and a time limit; reaching either before stop() is reported (a loop that ran
 * out is not proof of anything after that point). Runs inside the sandbox (the controller's
 * network namespace), towards a host's address.
 */
import * as http from 'node:http';

export interface Sample {
  path: string;
  startedAt: number;
  endedAt: number;
  status?: number;
  body?: string;
  error?: string;
}

export interface LoopOptions {
  url: string;
  /** Request paths, taken in turn by each worker (e.g. ['/', '/slow']). */
  paths: string[];
  workers: number;
  maxRequests: number;
  maxMs: number;
  requestTimeoutMs?: number;
  /** Sent with every request (a front door routes by Host). */
  headers?: Record<string, string>;
}

function once(base: URL, path: string, timeoutMs: number, headers?: Record<string, string>): Promise<Sample> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    const request = http.get(
      { host: base.hostname, port: base.port, path, headers, agent: false, timeout: timeoutMs },
      (response) => {
        let body = '';
        response.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ path, startedAt, endedAt: Date.now(), status: response.statusCode, body }));
        response.on('error', (error) => resolve({ path, startedAt, endedAt: Date.now(), error: error.message }));
      },
    );
    request.on('timeout', () => request.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    request.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ path, startedAt, endedAt: Date.now(), error: error.code ?? error.message }),
    );
  });
}

export class RequestLoop {
  readonly samples: Sample[] = [];
  /** Set when the loop stopped on its own bounds rather than on stop(). */
  ranOut?: string;
  private stopped = false;
  private readonly done: Promise<void>;

  constructor(options: LoopOptions) {
    const base = new URL(options.url);
    const deadline = Date.now() + options.maxMs;
    const worker = async (offset: number): Promise<void> => {
      for (let i = offset; !this.stopped; i++) {
        if (this.samples.length >= options.maxRequests) {
          this.ranOut ??= `${options.maxRequests} requests`;
          return;
        }
        if (Date.now() > deadline) {
          this.ranOut ??= `${options.maxMs} ms`;
          return;
        }
        this.samples.push(
          await once(base, options.paths[i % options.paths.length], options.requestTimeoutMs ?? 2000, options.headers),
        );
      }
    };
    this.done = Promise.all(Array.from({ length: options.workers }, (_, i) => worker(i))).then(() => undefined);
  }

  async stop(): Promise<Sample[]> {
    this.stopped = true;
    await this.done;
    return this.samples;
  }
}

/** A request failed unless it was answered 200. */
export const failed = (s: Sample): boolean => s.error !== undefined || s.status !== 200;
