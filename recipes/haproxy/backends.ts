/**
 * haproxy's `backends` option: one server per line, either the name of a zope-instance part of
 * the deployment (its address, thread count and health-check path are read from it) or
 * `NAME HOST:PORT [maxconn=N] [weight=N]` for a server described by hand.
 * Per-server maxconn defaults to the instance's threads, so requests queue in haproxy rather
 * than inside a busy instance; a `server-maxconn` that disagrees with the threads is warned about
 * (the original set maxconn 4 against 2 ZServer threads and nothing noticed).
 */
import type { Address, OptionsContext } from '../../src/recipe';
import { checkName, formatAddress, parseAddress } from '../shared/checks';

export interface Server {
  name: string;
  address: Address;
  maxconn: number;
  weight: number;
  checkPath?: string;
}

function fromPart(ctx: OptionsContext, part: string, explicitMaxconn: number | undefined, weight: number): Server {
  const other = ctx.section(part);
  const address = other.get('address');
  if (!address) {
    throw ctx.error(
      'backends',
      `backend ${part} is a section without an address (backends names zope-instance parts, or lines NAME HOST:PORT)`,
      `is [${part}] a zope-instance part? for a server outside the deployment write "${part} 127.0.0.1:8080".`,
    );
  }
  const threads = Number(other.get('threads') ?? '0');
  if (explicitMaxconn !== undefined && threads && explicitMaxconn !== threads) {
    ctx.warn(
      `[${ctx.name}] server-maxconn = ${explicitMaxconn}, but [${part}] serves ${threads} threads: ` +
        `${explicitMaxconn > threads ? 'requests will queue inside the instance instead of in haproxy' : 'some of its threads will stay idle'}`,
    );
  }
  return {
    name: part,
    address: parseAddress(ctx, 'backends', address),
    maxconn: explicitMaxconn ?? (threads || 4),
    weight,
    checkPath: other.get('health-check'),
  };
}

export function parseBackends(ctx: OptionsContext): Server[] {
  const explicitMaxconn = ctx.options.has('server-maxconn')
    ? ctx.options.int('server-maxconn', 4, { min: 1, max: 100_000 })
    : undefined;
  const weight = ctx.options.int('weight', 50, { min: 0, max: 256 });
  const lines = ctx.options.lines('backends');
  if (!lines.length)
    throw ctx.error(
      'backends',
      `part [${ctx.name}] needs option "backends"`,
      'name the instance parts, one per line: backends = instance1 instance2',
    );
  const servers = lines.flatMap((line) => {
    const words = line.split(/\s+/);
    // "NAME HOST:PORT ..." describes a server by hand; otherwise the words are instance parts
    if (words.length > 1 && /:|^\d+$/.test(words[1])) return [byHand(ctx, line, explicitMaxconn, weight)];
    return words.map((part) =>
      fromPart(ctx, checkName(ctx, 'backends', part, 'instance1', /^[A-Za-z0-9_.-]+$/), explicitMaxconn, weight),
    );
  });
  const names = new Set<string>();
  for (const server of servers) {
    if (names.has(server.name)) throw ctx.error('backends', `backend ${server.name} is listed twice`);
    names.add(server.name);
  }
  return servers;
}

function byHand(ctx: OptionsContext, line: string, maxconn: number | undefined, weight: number): Server {
  const [name, address, ...settings] = line.split(/\s+/);
  checkName(ctx, 'backends', name, 'instance1 127.0.0.1:8001', /^[A-Za-z0-9_.-]+$/);
  const server: Server = { name, address: parseAddress(ctx, 'backends', address), maxconn: maxconn ?? 4, weight };
  for (const setting of settings) {
    const match = /^(maxconn|weight)=(\d+)$/.exec(setting);
    if (!match)
      throw ctx.error(
        'backends',
        `cannot read ${JSON.stringify(setting)} in the backends line ${JSON.stringify(line)}`,
        'settings are maxconn=N and weight=N',
      );
    server[match[1] as 'maxconn' | 'weight'] = Number(match[2]);
  }
  return server;
}

export function serverView(servers: Server[]) {
  return servers.map((s) => ({
    name: s.name,
    address: formatAddress(s.address),
    maxconn: s.maxconn,
    weight: s.weight,
  }));
}
