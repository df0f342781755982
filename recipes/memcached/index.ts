/**
 * memcached: the shared cache the instances use (RelStorage's `cache-servers`). No config file:
 * everything is on the command line of one foreground program.
 *
 * Options: `bind` (host:port, default 127.0.0.1:11211 — never every interface unless you say
 * 0.0.0.0), `memory` (MB, 64), `max-connections` (1024), `threads` (4), `user` (the system user;
 * when the stack is started as root memcached needs one, so root is named explicitly when unset),
 * `executable` (a cmmi build's `${memcached-build:location}/bin/memcached`; default: the system's,
 * Debian package memcached), `environment`, `priority` (0), `ready-timeout`, `stop-timeout`.
 * Derived: `address` (host:port, for cache-servers), `run-directory`, `pid-file`.
 * UDP is always off (-U 0): memcached's UDP port was an amplification vector.
 */
import * as path from 'node:path';
import { defineRecipe } from '../../src/recipe';
import { findDaemon } from '../shared/daemon';
import { formatAddress, parseAddress } from '../shared/checks';
import { checkUser, isRoot } from '../shared/users';
import { connectHost, programEnvironment, programTiming } from '../shared/program';
import { ensureDirectory } from '../shared/tree';
import { SERVICE_OPTIONS } from '../shared/option-names';

export default defineRecipe({
  name: 'memcached',
  version: '1.0.0',
  accepts: [...SERVICE_OPTIONS, 'bind', 'memory', 'max-connections', 'threads'],
  options(ctx) {
    const daemon = findDaemon(ctx, {
      names: ['memcached'],
      debianPackage: 'memcached',
      software: 'memcached',
      versionArgs: ['-V'],
      versionPattern: /memcached (\d+\.\d+\.\d+)/,
    });
    const address = parseAddress(ctx, 'bind', ctx.options.get('bind') ?? '127.0.0.1:11211');
    const memory = ctx.options.int('memory', 64, { min: 1, max: 1 << 20 });
    const connections = ctx.options.int('max-connections', 1024, { min: 1, max: 1 << 20 });
    const threads = ctx.options.int('threads', 4, { min: 1, max: 256 });
    const user = checkUser(ctx);
    const runDirectory = ctx.paths.variable(ctx.name);
    const pidFile = path.join(runDirectory, 'memcached.pid');
    ctx.set('address', formatAddress(address));
    ctx.set('run-directory', runDirectory);
    ctx.set('pid-file', pidFile);
    // as root memcached refuses to start without -u; unprivileged, -u is ignored
    const runAs = user?.name ?? (isRoot() ? 'root' : undefined);
    ctx.declareProgram({
      name: ctx.name,
      type: 'memcached',
      command: [
        daemon.path,
        '-l',
        address.host,
        '-p',
        String(address.port),
        '-U',
        '0',
        '-m',
        String(memory),
        '-c',
        String(connections),
        '-t',
        String(threads),
        '-P',
        pidFile,
        ...(runAs ? ['-u', runAs] : []),
      ],
      directory: runDirectory,
      environment: programEnvironment(ctx),
      ...programTiming(ctx, { priority: 0, readyTimeoutMs: 10_000, stopTimeoutMs: 10_000 }),
      user: user?.name,
      listen: [address],
      ready: { kind: 'tcp', host: connectHost(address.host), port: address.port },
      stopSignal: 'SIGTERM',
      // memcached notes SIGTERM at once but exits only when its main loop next wakes (its clock
      // ticks once a second): a connection wakes it, so it stops in milliseconds, not 0-1 s
      stopWake: { host: connectHost(address.host), port: address.port },
      writes: [pidFile],
    });
    return { runDirectory, user };
  },
  async install(_ctx, { runDirectory, user }) {
    ensureDirectory(runDirectory, user);
  },
  async update(_ctx, { runDirectory, user }) {
    ensureDirectory(runDirectory, user);
  },
});
