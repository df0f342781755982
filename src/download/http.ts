/**
 * The HTTP side of the download service, on undici: proxy-free (environment proxies are not
 * consulted), redirects followed, bounded connect/header/body timeouts. undici and any extra CA
 * bundle are loaded only when a run really goes to the network, to keep the CLI's start fast.
 */
import { readFileSync } from 'node:fs';
import type { Dispatcher } from 'undici';

let dispatcher: Dispatcher | undefined;

function extraCertificates(): string[] {
  // bin/assemble moves NODE_EXTRA_CA_CERTS aside (node would parse it at start-up, ~70 ms here).
  const file = process.env.ZETA_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    return [readFileSync(file, 'utf8')];
  } catch {
    return [];
  }
}

export function httpDispatcher(timeoutMs: number): Dispatcher {
  if (!dispatcher) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const undici = require('undici') as typeof import('undici');
    const tls = require('node:tls') as typeof import('node:tls');
    const extra = extraCertificates();
    const agent = new undici.Agent({
      connect: { timeout: timeoutMs, ...(extra.length ? { ca: [...tls.rootCertificates, ...extra] } : {}) },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    dispatcher = agent.compose(undici.interceptors.redirect({ maxRedirections: 10 }));
  }
  return dispatcher;
}

export interface HttpResponse {
  status: number;
  length?: number;
  body: AsyncIterable<Buffer>;
  discard(): Promise<void>;
}

export async function httpGet(url: string, timeoutMs: number): Promise<HttpResponse> {
  const undici = require('undici') as typeof import('undici');
  const response = await undici.request(url, {
    method: 'GET',
    dispatcher: httpDispatcher(timeoutMs),
    headers: { 'user-agent': 'zetaserver' },
  });
  const header = response.headers['content-length'];
  const length = typeof header === 'string' ? Number.parseInt(header, 10) : undefined;
  return {
    status: response.statusCode,
    length: Number.isFinite(length) ? length : undefined,
    body: response.body as AsyncIterable<Buffer>,
    discard: async () => {
      await response.body.dump();
    },
  };
}

/** Closes the agent so the process can exit; safe to call when nothing was fetched. */
export async function closeHttp(): Promise<void> {
  const open = dispatcher;
  dispatcher = undefined;
  if (open) await open.close();
}
