/**
 * haproxy: the load balancer in front of the instances. Renders etc/<part>.conf (0600: it holds
 * the stats password) and declares `haproxy -W -db -f etc/<part>.conf`: master-worker in the
 * foreground, so SIGUSR2 reloads the config without dropping connections (the master hands the
 * listening sockets to the new worker itself: `-x sockpair@N`, haproxy 2.6).
 *
 * `leastconn` over `backends` (zope-instance parts or NAME HOST:PORT lines), HTTP health checks
 * on each instance's health-check path, per-server maxconn from the instance's threads, a stats
 * page on its own address behind a user and password, and a fallback when no instance is up:
 * `fallback = 503` (default: nginx turns it into the system error page) or `fallback = redirect
 * /system_error` (the original's 302). The failover defaults are the ones measured by hand on
 * these machines: the first request after the last instance died gets the fallback within about
 * a second, and a restarted instance is back after one check.
 *
 * Options: `bind` (127.0.0.1:8200), `backends`, `server-maxconn`, `weight` (50), `check-path`
 * (default: each instance's health-check), `stats` (host:port; empty: no stats page), `stats-user`,
 * `stats-password`, `stats-admin` (off: the page is read only; on: admin actions, from the
 * page's own origin only), `stats-origins` (more origins allowed to send them), `maxconn` (global, 4096), `fallback`,
 * `retries` (1), `inter` (1s), `fastinter`
 * (250ms), `downinter` (250ms), `fall` (2), `rise` (1), `timeout-connect` (2s), `timeout-client`
 * (60s), `timeout-server` (120s), `timeout-queue` (60s), `timeout-check` (1s), `syslog`
 * (host:port; default: stdout), `user`, `template`, `executable`, `check-upstream`, `environment`,
 * `priority` (20), `ready-timeout`, `stop-timeout`.
 * Derived: `config-file`, `content-hash`, `address`, `stats-address`, `socket`.
 */
import * as path from 'node:path';
import { contentHash, defineRecipe } from '../../src/recipe';
import { findDaemon } from '../shared/daemon';
import { formatAddress, parseAddress } from '../shared/checks';
import { checkUser } from '../shared/users';
import { localUrl, programEnvironment, programTiming, upstreamOf } from '../shared/program';
import { ensureDirectory, writeOwnedFile } from '../shared/tree';
import { parseBackends } from './backends';
import { ensureStateFile } from './state-file';
import { haproxyView, renderTemplate } from './config';
import { checkWithDaemon, type DaemonCheck } from '../shared/daemon-check';
import { SERVICE_OPTIONS } from '../shared/option-names';

export default defineRecipe({
  name: 'haproxy',
  version: '1.0.0',
  accepts: [
    ...SERVICE_OPTIONS,
    'bind',
    'backends',
    'server-maxconn',
    'weight',
    'check-path',
    'stats',
    'stats-user',
    'stats-password',
    'stats-admin',
    'stats-origins',
    'maxconn',
    'fallback',
    'retries',
    'inter',
    'fastinter',
    'downinter',
    'fall',
    'rise',
    'timeout-*',
    'syslog',
  ],
  options(ctx) {
    const daemon = findDaemon(ctx, {
      names: ['haproxy'],
      debianPackage: 'haproxy',
      software: 'haproxy',
      versionArgs: ['-v'],
      versionPattern: /version (\d+\.\d+(?:\.\d+)?)/,
    });
    const bind = parseAddress(ctx, 'bind', ctx.options.get('bind') ?? '127.0.0.1:8200');
    const statsText = ctx.options.get('stats')?.trim();
    const stats = statsText ? parseAddress(ctx, 'stats', statsText) : undefined;
    const servers = parseBackends(ctx);
    const user = checkUser(ctx);
    const home = ctx.paths.variable(ctx.name);
    const files = {
      config: ctx.paths.etc(`${ctx.name}.conf`),
      pid: path.join(home, 'haproxy.pid'),
      socket: path.join(home, 'haproxy.sock'),
      // the servers' states handed from the old worker to the new one at a reload
      state: path.join(home, 'servers.state'),
    };
    const view = haproxyView(ctx, { bind, stats, servers, files });
    const text = renderTemplate(ctx, view);
    // haproxy -c prints notices (version, path) around what is wrong: only alerts and warnings are kept
    const check: DaemonCheck = {
      daemon: 'haproxy',
      template: 'template',
      file: files.config,
      argv: [daemon.path, '-c', '-f', files.config],
      env: programEnvironment(ctx),
      relevant: (line) => !/\[NOTICE\]/.test(line),
    };
    ctx.output(files.config, text, { mode: 0o600 });
    ctx.set('config-file', files.config);
    // the config takes values from the instance parts (threads -> maxconn, addresses): a change
    // there must rewrite it, and the engine compares options, not rendered text
    ctx.set('content-hash', contentHash(text));
    ctx.set('address', formatAddress(bind));
    if (stats) ctx.set('stats-address', formatAddress(stats));
    ctx.set('socket', files.socket);
    ctx.set('run-directory', home);
    ctx.declareProgram({
      name: ctx.name,
      type: 'haproxy',
      command: [daemon.path, '-W', '-db', '-f', files.config],
      directory: home,
      environment: programEnvironment(ctx),
      ...programTiming(ctx, { priority: 20, readyTimeoutMs: 15_000, stopTimeoutMs: 10_000 }),
      user: user?.name,
      listen: stats ? [bind, stats] : [bind],
      upstream: upstreamOf(
        ctx,
        servers.map((s) => s.address),
      ),
      ready: { kind: 'http', url: localUrl(bind, String(view.monitor_uri)), status: 200 },
      stopSignal: 'SIGTERM',
      reload: { signal: 'SIGUSR2' },
      ownProcessGroup: true,
      configFiles: [files.config],
      // update drains a server here before its instance restarts
      balancer: {
        socket: files.socket,
        backend: String(view.backend),
        servers: servers.map((s) => ({ name: s.name, ...s.address })),
        stateFile: files.state,
      },
      reads: [files.config],
      writes: [files.pid, files.socket, files.state],
    });
    return { text, check, home, config: files.config, user, state: files.state };
  },
  async install(ctx, { text, check, home, config, user, state }) {
    ensureDirectory(home, user);
    ensureStateFile(state, user);
    await writeOwnedFile(ctx, config, text, 0o600, user);
    await checkWithDaemon(ctx, check, text);
  },
  async update(_ctx, { home, user, state }) {
    ensureDirectory(home, user);
    ensureStateFile(state, user);
  },
});
