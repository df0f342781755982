/**
 * A bounded request loop through the example stack's nginx while something else happens (an
 * update, a restart): a few workers, each sending one request after another on a fresh
 * connection, each to a URL of its own so that varnish passes it on to an instance.
 */
import * as http from 'node:http';
import { within } from './wait';

export interface LoopAnswer {
  status?: number;
  instance?: string;
  error?: string;
}

export function requestOnce(port: number, n: number): Promise<LoopAnswer> {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path: `/health?n=${n}`,
        headers: { host: 'localhost' },
        agent: false,
        timeout: 15_000,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, instance: String(res.headers['x-instance'] ?? '') }));
        res.on('error', (error) => resolve({ error: error.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', (error) => resolve({ error: error.message }));
    req.end();
  });
}

/** Runs `during` while `workers` loops send requests to nginx on `port`; bounded by maxMs. */
export async function underLoad<T>(
  port: number,
  during: () => Promise<T>,
  options: { workers?: number; maxMs?: number } = {},
): Promise<{ result: T; answers: LoopAnswer[] }> {
  const answers: LoopAnswer[] = [];
  const maxMs = options.maxMs ?? 150_000;
  let stop = false;
  let n = 0;
  const began = Date.now();
  const worker = async (): Promise<void> => {
    while (!stop && Date.now() - began < maxMs) answers.push(await requestOnce(port, n++));
  };
  const workers = Array.from({ length: options.workers ?? 3 }, () => worker());
  try {
    return { result: await during(), answers };
  } finally {
    stop = true;
    await within(Promise.all(workers), { what: 'the request loop to finish', timeoutMs: 20_000 });
  }
}
