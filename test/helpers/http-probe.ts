/**
 * HTTP requests for the end-to-end tests: one request (HTTP or HTTPS, from a chosen local
 * address, with a CA to verify the stack's certificate), and a Prober that keeps requesting a
 * URL and records every answer with its start and end times, for failover measurements.
 */
import * as http from 'node:http';
import * as https from 'node:https';
import { waitFor, type WaitOptions } from './wait';

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  startedAt: number;
  endedAt: number;
  /** A transport error (connection refused, reset, timeout) instead of an answer. */
  error?: string;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  localAddress?: string;
  ca?: string | Buffer;
  servername?: string;
  timeoutMs?: number;
  /** A request body (a form, for a POST). */
  body?: string;
}

export function request(url: string, options: RequestOptions = {}): Promise<Answer> {
  const startedAt = Date.now();
  const secure = url.startsWith('https:');
  const client = secure ? https : http;
  return new Promise((resolve) => {
    const req = client.request(
      url,
      {
        method: options.method ?? 'GET',
        headers: options.headers,
        localAddress: options.localAddress,
        agent: false,
        timeout: options.timeoutMs ?? 10_000,
        ...(secure ? { ca: options.ca, servername: options.servername } : {}),
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body, startedAt, endedAt: Date.now() }),
        );
        res.on('error', (error) =>
          resolve({ status: 0, headers: {}, body, startedAt, endedAt: Date.now(), error: error.message }),
        );
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', (error) =>
      resolve({ status: 0, headers: {}, body: '', startedAt, endedAt: Date.now(), error: error.message }),
    );
    req.end(options.body);
  });
}

/** Requests a URL over and over (`lanes` at a time, `pauseMs` apart) until stopped. */
export class Prober {
  readonly answers: Answer[] = [];
  private running = false;
  private lanes: Promise<void>[] = [];

  constructor(
    private readonly url: string,
    private readonly options: RequestOptions & { lanes?: number; pauseMs?: number } = {},
  ) {}

  start(): void {
    this.running = true;
    this.lanes = Array.from({ length: this.options.lanes ?? 2 }, async () => {
      while (this.running) {
        this.answers.push(await request(this.url, this.options));
        await new Promise((r) => setTimeout(r, this.options.pauseMs ?? 20));
      }
    });
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.lanes);
  }

  /** Answers that started at or after `since` (ms timestamp). */
  since(since: number): Answer[] {
    return this.answers.filter((a) => a.startedAt >= since);
  }

  /** The first answer satisfying `match` that started at or after `since`, once it has arrived. */
  waitFor(since: number, match: (a: Answer) => boolean, options: WaitOptions): Promise<Answer> {
    const last = (): string => {
      const answer = this.answers[this.answers.length - 1];
      return answer ? `the last answer: ${answer.status} ${answer.error ?? answer.body.slice(0, 80)}` : 'no answer yet';
    };
    return waitFor(() => this.answers.find((a) => a.startedAt >= since && match(a)), {
      intervalMs: 10,
      detail: last,
      ...options,
    });
  }
}
