/**
 * The network checks of backends: does a host name resolve (the way nginx will resolve it when
 * it loads the config: getaddrinfo, /etc/hosts first), and does anything answer on an address.
 * Both bounded, so a slow resolver or a black-holed host costs seconds, not minutes.
 */
import { lookup } from 'node:dns/promises';
import { isIP, connect } from 'node:net';
import type { Address } from '../../src/recipe';
import { problems, type Problem } from '../../src/errors/factories/porter-problems';

function within<T>(promise: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(onTimeout()), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** A problem when the host name does not resolve (IP addresses always do). */
export async function resolveHost(host: string, timeoutMs = 5000): Promise<Problem | undefined> {
  if (isIP(host)) return undefined;
  return within(
    lookup(host).then(
      () => undefined,
      (error: NodeJS.ErrnoException) =>
        problems.unresolvable(host, error.code === 'ENOTFOUND' ? 'no such host' : (error.code ?? error.message)),
    ),
    timeoutMs,
    () => problems.unresolvable(host, `no answer from the resolver in ${timeoutMs / 1000} s`),
  );
}

/** Every distinct host, resolved in parallel; the problems in the order given. */
export async function resolveHosts(hosts: string[]): Promise<Array<Problem | undefined>> {
  const unique = [...new Set(hosts)];
  const results = new Map(await Promise.all(unique.map(async (host) => [host, await resolveHost(host)] as const)));
  return hosts.map((host) => results.get(host));
}

export type Liveness = { alive: true; ms: number } | { alive: false; why: string };

/** Whether something accepts a TCP connection on the address. */
export function probe(address: Address, timeoutMs = 3000): Promise<Liveness> {
  const started = Date.now();
  return new Promise((resolve) => {
    const socket = connect({ host: address.host, port: address.port });
    const done = (result: Liveness): void => {
      socket.destroy();
      resolve(result);
    };
    socket.setTimeout(timeoutMs, () => done({ alive: false, why: `no answer in ${timeoutMs / 1000} s` }));
    socket.once('connect', () => done({ alive: true, ms: Date.now() - started }));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done({
        alive: false,
        why:
          error.code === 'ECONNREFUSED'
            ? 'connection refused'
            : error.code === 'ENOTFOUND'
              ? 'host not found'
              : (error.code ?? error.message),
      }),
    );
  });
}
