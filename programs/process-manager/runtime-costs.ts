/**
 * What the runtime plan says about how a change is carried out: how a daemon reloads, which
 * load balancer server an instance is behind, and what a plain restart loses.
 */
import type { Program } from './config';

/** A server of a running load balancer, to drain before its program stops. */
export interface Drain {
  /** The balancer program's name (haproxy). */
  balancer: string;
  socket: string;
  backend: string;
  server: string;
  /** How many other servers the backend has (0: nothing takes the requests meanwhile). */
  others: number;
}

/** How a program takes its new configuration: `varnish VCL reload (...)`, `SIGHUP`. */
export function reloadHow(program: Program): string {
  const command = program.reload?.command;
  if (command) {
    if (program.type === 'varnish') return `VCL reload: ${command.join(' ')} (vcl.load, vcl.use; the cache is kept)`;
    return `reload command: ${command.join(' ')}`;
  }
  const signal = program.reload?.signal ?? 'SIGHUP';
  if (program.type === 'haproxy' && signal === 'SIGUSR2')
    return 'haproxy reload: SIGUSR2 to its master (a new worker takes the sockets)';
  if (program.type === 'nginx')
    return `nginx reload: ${signal} to its master (new workers, old ones finish their requests)`;
  return `${signal} to its main process`;
}

/** The server of a running balancer that forwards to this program's address, if any. */
export function drainOf(program: Program, balancers: Program[]): Drain | undefined {
  for (const balancer of balancers) {
    const api = balancer.balancer!;
    const server =
      api.servers.find((s) => program.listen.some((a) => a.port === s.port && a.host === s.host)) ??
      api.servers.find((s) => s.name === program.name);
    if (server) {
      return {
        balancer: balancer.name,
        socket: api.socket,
        backend: api.backend,
        server: server.name,
        others: api.servers.length - 1,
      };
    }
  }
  return undefined;
}

/** What restarting it costs, in words (undefined: nothing worth saying). */
export function restartCost(program: Program, drain?: Drain): string | undefined {
  const storage =
    program.command.find((word, i) => program.command[i - 1] === '-s' && /^(\w+=)?malloc\b/.test(word)) ??
    program.command.find((word) => /^-smalloc\b/.test(word));
  if (program.type === 'varnish' && storage) return 'varnish restart empties its malloc cache';
  if (program.type === 'varnish') return 'varnish restart drops its connections';
  if (/^(mysql|mariadb)/.test(program.type)) return 'mysql restart drops connections';
  if (drain) {
    return (
      `the only server of ${drain.balancer}'s backend ${drain.backend}: ` +
      'requests get the fallback while it restarts'
    );
  }
  if (program.listen.length) return 'connections to it fail while it restarts';
  return undefined;
}
