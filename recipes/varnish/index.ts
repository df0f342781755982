/**
 * varnish: the cache between nginx and haproxy. Renders etc/<part>.vcl (VCL 4.1 for Varnish 6
 * and later, 4.0 before) and declares varnishd in the foreground (-F) with its own working
 * directory in the tree (-n var/<part>: secret, shared memory, compiled VCL), an absolute -f (a
 * relative one is looked up along vcl_path, not here), the admin port on the address given (-T;
 * its default would be a random port) and no jail (-j none: the process manager already runs it
 * as its user, and the unix jail would need Debian's varnish/vcache users).
 *
 * Options: `bind` (127.0.0.1:8100), `admin` (the -T address, 127.0.0.1:<bind port + 1>),
 * `backend` (haproxy's host:port), `allow-purge` (hosts, addresses or networks allowed to PURGE;
 * 127.0.0.1), `storage` (malloc,128M), `tuning` (`name=value` runtime parameters, each -p),
 * `cc-command` (the VCL compiler command; varnish's own by default), `vcl-cache` (on: keep
 * compiled VCL, see lib/vcl-cache.ts; off), `grace` (10m), `anonymous-ttl` (10s), `cookie-whitelist`,
 * `connect-timeout` (5s), `first-byte-timeout` (120s), `between-bytes-timeout` (60s), `socket`
 * (a Unix socket it also listens on, for nginx: var/<part>/socket/varnish.sock, 0660; `off`),
 * `socket-client` (the user that connects through it: its group gets the socket),
 * `verbose-headers`, `vcl-version`, `ping-url` (/_varnish_ping_), `user`, `template`,
 * `executable`, `check-upstream`, `environment`, `priority` (10), `ready-timeout`, `stop-timeout`.
 * Derived: `config-file`, `address`, `admin`, `working-directory`, `socket`, `vcl-cache-directory`.
 */
import * as path from 'node:path';
import { defineRecipe, type InstallContext, type OptionsContext } from '../../src/recipe';
import { SERVICE_OPTIONS } from '../shared/option-names';
import { findDaemon, versionAtLeast } from '../shared/daemon';
import { SYSTEM_DIRS } from '../shared/binaries';
import { checkConfigValue, formatAddress, parseAddress } from '../shared/checks';
import { checkUser, type SystemUser } from '../shared/users';
import { localUrl, programEnvironment, programTiming, upstreamOf } from '../shared/program';
import { ensureDirectory, isTreePlace, writeOwnedFile } from '../shared/tree';
import { ccCommand, runtimeParameters, varnishView } from './config';
import { fillVclCache, vclCache, type CacheFill, type VclCache } from './vcl-cache';
import { renderFromTemplate } from '../shared/templates';
import { checkWithDaemon, type DaemonCheck } from '../shared/daemon-check';

/** What the options phase works out for install and update. */
interface Prepared {
  text: string;
  check: DaemonCheck;
  cache?: VclCache;
  fill: Omit<CacheFill, 'owner'>;
  config: string;
  workdir: string;
  socket?: string;
  user?: SystemUser;
  /** `socket-client`'s user: its group gets the socket. */
  client?: SystemUser;
}

/**
 * `socket` (default var/<part>/socket/varnish.sock; `off` for none): a Unix socket varnish listens
 * on besides `bind`, for nginx in front (`backend-socket`): a hit costs less through it than
 * through loopback TCP. Mode 0660, in a directory of its own that only varnish's user and the
 * group of `socket-client` (nginx's workers' user) can enter; the directory is set-group-id, so
 * the socket varnish makes there belongs to that group.
 */
function unixSocket(ctx: OptionsContext, fallback: string): string | undefined {
  const given = ctx.options.get('socket')?.trim();
  if (given === 'off') return undefined;
  const socket = checkConfigValue(ctx, 'socket', path.resolve(ctx.paths.directory, given || fallback), /[\s"';{},\\]/);
  // sockaddr_un holds 108 bytes: a deep tree gets no default socket, a given one is an error
  if (Buffer.byteLength(socket) > 100) {
    if (given)
      throw ctx.error(
        'socket',
        `the socket path ${socket} is too long for a Unix socket (over 100 bytes)`,
        'give a shorter socket = /path, or socket = off.',
      );
    ctx.warn(`[${ctx.name}] the tree is too deep for a Unix socket in it (${socket}); varnish listens on TCP only`);
    return undefined;
  }
  return socket;
}

/** The socket's directory in the tree: varnish's, group `socket-client`'s (or its own), 2750. */
function prepareSocketDirectory(ctx: InstallContext, { socket, user, client }: Prepared): void {
  if (!socket || !isTreePlace(socket, ctx.paths)) return;
  ensureDirectory(path.dirname(socket), user, 0o2750, { gid: client?.gid });
}

/** Debian ships varnishreload outside PATH; a source build may have it beside varnishd. */
function findReload(ctx: OptionsContext, varnishd: string): string | undefined {
  return (
    ctx.which(path.join(path.dirname(varnishd), 'varnishreload')) ??
    ctx.which('/usr/share/varnish/varnishreload') ??
    ctx.which('varnishreload', SYSTEM_DIRS)
  );
}

export default defineRecipe({
  name: 'varnish',
  version: '1.1.0',
  accepts: [
    ...SERVICE_OPTIONS,
    'bind',
    'admin',
    'backend',
    'allow-purge',
    'storage',
    'tuning',
    'cc-command',
    'vcl-cache',
    'grace',
    'anonymous-ttl',
    'cookie-whitelist',
    'connect-timeout',
    'first-byte-timeout',
    'between-bytes-timeout',
    'socket',
    'socket-client',
    'verbose-headers',
    'vcl-version',
    'ping-url',
  ],
  options(ctx) {
    const daemon = findDaemon(ctx, {
      names: ['varnishd'],
      debianPackage: 'varnish',
      software: 'varnish',
      versionArgs: ['-V'],
      versionPattern: /varnish-(\d+\.\d+\.\d+)/,
    });
    const bind = parseAddress(ctx, 'bind', ctx.options.get('bind') ?? '127.0.0.1:8100');
    const admin = parseAddress(ctx, 'admin', ctx.options.get('admin') ?? `127.0.0.1:${bind.port + 1}`);
    const backend = parseAddress(ctx, 'backend', ctx.options.get('backend') ?? '127.0.0.1:8200');
    const user = checkUser(ctx);
    const workdir = ctx.paths.variable(ctx.name);
    const config = ctx.paths.etc(`${ctx.name}.vcl`);
    const socket = unixSocket(ctx, path.join(workdir, 'socket', 'varnish.sock'));
    const client = checkUser(ctx, 'socket-client');
    const vclVersion =
      ctx.options.get('vcl-version')?.trim() || (versionAtLeast(daemon.version, '6.0') ? '4.1' : '4.0');
    if (!/^4\.[01]$/.test(vclVersion))
      throw ctx.error('vcl-version', `vcl-version must be 4.0 or 4.1, not ${JSON.stringify(vclVersion)}`);
    const view = varnishView(ctx, { backend, config, vclVersion, varnishVersion: daemon.version ?? 'unknown' });
    const cc = ccCommand(ctx);
    const cache = vclCache(ctx, workdir, cc);
    const parameters = runtimeParameters(ctx, cache?.ccCommand ?? cc);
    const prepared: Prepared = {
      cache,
      config,
      workdir,
      socket,
      user,
      client,
      fill: { varnishd: daemon.path, config, parameters, env: programEnvironment(ctx) },
      text: renderFromTemplate(ctx, 'template', view, 'varnish', 'varnish.vcl'),
      // -C translates the VCL to C and stops (no C compiler, nothing started); its own scratch
      // working directory, so a running varnish's is never touched
      check: {
        daemon: 'varnish',
        template: 'template',
        file: config,
        argv: [daemon.path, '-C', '-j', 'none', '-n', '{scratch}/n', '-f', config],
        env: programEnvironment(ctx),
        relevant: (line) => !/^Could not delete/.test(line),
      },
    };
    ctx.output(config, prepared.text, { mode: 0o644 });
    ctx.set('config-file', config);
    ctx.set('address', formatAddress(bind));
    if (!ctx.options.has('admin')) ctx.set('admin', formatAddress(admin)); // a value the user set stays as written
    ctx.set('working-directory', workdir);
    if (socket && !ctx.options.has('socket')) ctx.set('socket', socket);
    if (cache) ctx.set('vcl-cache-directory', cache.directory);
    const reload = findReload(ctx, daemon.path);
    ctx.declareProgram({
      name: ctx.name,
      type: 'varnish',
      command: [
        daemon.path,
        '-F',
        '-j',
        'none',
        '-n',
        workdir,
        '-f',
        config,
        '-a',
        formatAddress(bind),
        ...(socket ? ['-a', `${socket},mode=0660`] : []),
        '-T',
        formatAddress(admin),
        '-s',
        String(view.storage),
        '-P',
        path.join(workdir, 'varnishd.pid'),
        ...parameters.flatMap((p) => ['-p', p]),
      ],
      directory: workdir,
      // varnishd runs the C compiler (found on PATH) to compile the VCL, unless the cache has it
      environment: programEnvironment(ctx),
      // priority 10, beside the instances (the original started it at 30, after haproxy): varnish
      // needs nothing running to start
      ...programTiming(ctx, { priority: 10, readyTimeoutMs: 30_000, stopTimeoutMs: 15_000 }),
      user: user?.name,
      listen: [bind, admin],
      upstream: upstreamOf(ctx, [backend]),
      ready: { kind: 'http', url: localUrl(bind, String(view.ping_url)), status: 200 },
      stopSignal: 'SIGTERM',
      reload: reload ? { command: [reload, '-n', workdir, config] } : undefined,
      ownProcessGroup: true,
      configFiles: [config],
      reads: [config, ...(cache ? [cache.wrapper] : [])],
      writes: [workdir, ...(socket ? [socket] : []), ...(cache ? [cache.directory] : [])],
    });
    return prepared;
  },
  async install(ctx, prepared) {
    const { text, check, cache, fill, config, workdir, user } = prepared;
    ensureDirectory(workdir, user);
    prepareSocketDirectory(ctx, prepared);
    await writeOwnedFile(ctx, config, text, 0o644, user);
    await checkWithDaemon(ctx, check, text);
    if (cache) {
      ensureDirectory(cache.directory, user, 0o700);
      await fillVclCache(ctx, cache, { ...fill, owner: user });
    }
  },
  async update(ctx, prepared) {
    ensureDirectory(prepared.workdir, prepared.user);
    prepareSocketDirectory(ctx, prepared);
    if (prepared.cache) ensureDirectory(prepared.cache.directory, prepared.user, 0o700);
  },
});
