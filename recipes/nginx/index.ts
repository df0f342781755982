/**
 * nginx: the front web server. Renders etc/<part>.conf and declares
 * `nginx -p var/<part> -c etc/<part>.conf -e var/log/<part>-error.log -g 'daemon off;'`, with
 * every compiled-in path (pid, the five temp paths, logs, mime.types) moved into the tree.
 *
 * HTTP and HTTPS (a self-signed certificate for the server name is made at install when
 * `ssl-certificate`/`ssl-key` are not given; the key is 0600), upstream = varnish with keepalive,
 * the Zope virtual-hosting rewrite (`/VirtualHostBase/http/HOST:PORT/SITE/VirtualHostRoot/`), the
 * fallback page (`htdocs/<fallback>/index.html`, served with 503 when varnish or haproxy cannot
 * answer), a status page for `status-allow` only, PURGE refused at the front, logs in var/log.
 *
 * Options: `http` (127.0.0.1:8000), `https` (host:port; empty: no HTTPS), `server-name`
 * (localhost), `backend` (varnish's host:port), `vhm-site` (the Zope site id; empty: no rewrite),
 * `vhm-host`, `vhm-http-port`, `vhm-https-port`, `fallback` (/system_error), `fallback-page`
 * (a file to serve there; default: a built-in page, unless htdocs already has one),
 * `htdocs`, `static-paths`, `ssl-certificate`, `ssl-key`, `http2` (on), `redirect-authenticated`
 * (on), `status-url` (/_nginx_status_), `status-allow` (127.0.0.1 ::1), `worker-processes` (auto),
 * `worker-connections` (1024), `keepalive` (32), `backend-socket` (varnish's Unix socket, used
 * instead of TCP to `backend`; it must belong to the part listening there), `connect-timeout`, `read-timeout`,
 * `client-max-body-size`, `config-check` (on: `nginx -t` at install; it binds the listen addresses),
 * `user` (the workers' user), `template`, `executable`, `check-upstream`,
 * `environment`, `priority` (40), `ready-timeout`, `stop-timeout`.
 * Derived: `config-file`, `address`, `https-address`, `ssl-certificate`, `ssl-key`, `certificate-file`,
 * `key-file` (the pair in use, generated or given), `htdocs`,
 * `fallback`, `run-directory`, `error-log`, `access-log`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { defineRecipe, type InstallContext, type OptionsContext } from '../../src/recipe';
import { SERVICE_OPTIONS } from '../shared/option-names';
import { findDaemon } from '../shared/daemon';
import { findBinary } from '../shared/binaries';
import { checkConfigValue, formatAddress, parseAddress } from '../shared/checks';
import { checkUser, isRoot } from '../shared/users';
import { connectHost, localUrl, programEnvironment, programTiming, upstreamOf } from '../shared/program';
import { ensureDirectory, ensureFile } from '../shared/tree';
import { nginxView } from './config';
import { loadTemplate, renderFromTemplate } from '../shared/templates';
import { foregroundCommand, testCommand } from '../../programs/nginx/public';
import { checkWithDaemon, type DaemonCheck } from '../shared/daemon-check';
import { makeSelfSignedCertificate } from './self-signed';

interface Prepared {
  config: string;
  mimeTypes: string;
  fallbackPage: string;
  certificateNames: string[];
  /** nginx -t at install; absent with `config-check = off`. */
  check?: DaemonCheck;
  /** Absolute paths and the fallback's URL path, as install uses them (the options keep what the user wrote). */
  htdocs: string;
  fallback: string;
  certificate?: string;
  key?: string;
  /** Made at install: a self-signed pair with this openssl. */
  openssl?: string;
  files: { config: string; home: string; temp: string; errorLog: string; accessLog: string; mimeTypes: string };
}

const LOOPBACK = /^(127\.|::1$|localhost$)/;
/** Derived options that are also options the user may set (which then stay as written). */
const USER_SET: readonly string[] = ['htdocs', 'fallback'];
/** Who nginx's workers run as, started by root, without a `user` directive (its build default). */
const COMPILED_WORKER_USER = 'nobody';

/**
 * `backend-socket = ${varnish:socket}`: proxy through varnish's Unix socket instead of loopback
 * TCP (cheaper per request). It must be the socket of the part listening at `backend`, so the
 * checked hop (nginx -> varnish's address) is the one really used.
 */
function socketOfBackend(ctx: OptionsContext, backend: { host: string; port: number }): string | undefined {
  const socket = ctx.options.get('backend-socket')?.trim();
  if (!socket) return undefined;
  const owner = ctx
    .references()
    .map((name) => ({ name, options: ctx.section(name) }))
    .find(({ options }) => options.get('socket') === socket);
  const address = formatAddress(backend);
  if (!owner) {
    throw ctx.error(
      'backend-socket',
      `backend-socket ${socket} is not the socket of any part this one refers to`,
      "write backend-socket = ${varnish:socket} (the varnish part's socket), or leave it out to proxy over TCP.",
    );
  }
  if (owner.options.get('address') !== address && ctx.options.bool('check-upstream', true)) {
    throw ctx.error(
      'backend-socket',
      `backend-socket ${socket} belongs to [${owner.name}], which listens at ${owner.options.get('address')}, ` +
        `but backend is ${address}`,
      `point backend at [${owner.name}]'s address, or leave backend-socket out to proxy over TCP to ${address}.`,
    );
  }
  return checkConfigValue(ctx, 'backend-socket', socket, /[\s"';{}\\]/);
}

/** A file an option names (certificate, key, page): it must exist at assembly. */
function file(ctx: OptionsContext, option: string): string | undefined {
  const value = ctx.options.get(option)?.trim();
  if (!value) return undefined;
  const absolute = checkConfigValue(ctx, option, path.resolve(ctx.paths.directory, value), /[\s"';{}\\]/);
  if (!ctx.stat(absolute)) throw ctx.error(option, `${option} = ${absolute}: no such file`);
  return absolute;
}

/** The page served at `fallback`, the operator's (`fallback-page`) or the built-in one: an input of the part. */
function fallbackPage(ctx: OptionsContext): string {
  const source = file(ctx, 'fallback-page') ?? ctx.paths.templates('nginx', 'system-error.html');
  const page = ctx.readInput(source);
  const option = ctx.options.has('fallback-page') ? 'fallback-page' : 'recipe';
  if (!page) throw ctx.error(option, `the fallback page ${source} cannot be read`);
  return page.text;
}

export default defineRecipe({
  name: 'nginx',
  version: '1.0.0',
  accepts: [
    ...SERVICE_OPTIONS,
    'http',
    'https',
    'server-name',
    'backend',
    'backend-socket',
    'vhm-site',
    'vhm-host',
    'vhm-http-port',
    'vhm-https-port',
    'fallback',
    'fallback-page',
    'htdocs',
    'static-paths',
    'ssl-certificate',
    'ssl-key',
    'http2',
    'redirect-authenticated',
    'status-url',
    'status-allow',
    'worker-processes',
    'worker-connections',
    'keepalive',
    'connect-timeout',
    'read-timeout',
    'client-max-body-size',
    'mime-types',
    'config-check',
  ],
  options(ctx) {
    const daemon = findDaemon(ctx, {
      names: ['nginx'],
      debianPackage: 'nginx',
      software: 'nginx',
      versionArgs: ['-v'],
      versionPattern: /nginx\/(\d+\.\d+\.\d+)/,
    });
    const http = parseAddress(ctx, 'http', ctx.options.get('http') ?? '127.0.0.1:8000');
    const httpsText = ctx.options.get('https')?.trim();
    const https = httpsText ? parseAddress(ctx, 'https', httpsText) : undefined;
    const backend = parseAddress(ctx, 'backend', ctx.options.get('backend') ?? '127.0.0.1:8100');
    const backendSocket = socketOfBackend(ctx, backend);
    const user = checkUser(ctx);
    let certificate = file(ctx, 'ssl-certificate');
    let key = file(ctx, 'ssl-key');
    if (!!certificate !== !!key)
      throw ctx.error(
        certificate ? 'ssl-key' : 'ssl-certificate',
        'give both ssl-certificate and ssl-key, or neither (then a self-signed pair is made)',
      );
    const generate = !!https && !certificate;
    const openssl = generate ? findBinary(ctx, ['openssl'], 'openssl', 'openssl') : undefined;
    if (openssl) {
      ctx.set('openssl-command', openssl);
      certificate = ctx.paths.etc(`${ctx.name}.crt`);
      key = ctx.paths.etc(`${ctx.name}.key`);
    }
    const home = ctx.paths.variable(ctx.name);
    const htdocs = checkConfigValue(
      ctx,
      'htdocs',
      path.resolve(ctx.paths.directory, ctx.options.get('htdocs')?.trim() || 'htdocs'),
      /[\s"';{}\\]/,
    );
    const files = {
      config: ctx.paths.etc(`${ctx.name}.conf`),
      prefix: home,
      pid: path.join(home, 'nginx.pid'),
      temp: path.join(home, 'temp'),
      errorLog: ctx.paths.variable('log', `${ctx.name}-error.log`),
      accessLog: ctx.paths.variable('log', `${ctx.name}-access.log`),
      mimeTypes: ctx.paths.etc(`${ctx.name}-mime.types`),
      htdocs,
    };
    const layout = {
      prefix: home,
      conf: files.config,
      errorLog: files.errorLog,
      pidFile: files.pid,
      tempDir: files.temp,
    };
    const view = nginxView(ctx, {
      http,
      https,
      backend,
      backendSocket,
      version: daemon.version,
      user,
      certificate,
      key,
      files,
    });
    const prepared: Prepared = {
      config: renderFromTemplate(ctx, 'template', view, 'nginx', 'nginx.conf'),
      mimeTypes: loadTemplate(ctx, 'mime-types', 'nginx', 'mime.types').text,
      fallbackPage: fallbackPage(ctx),
      certificateNames: generate
        ? [
            ...(ctx.options.has('server-name') ? ctx.options.words('server-name') : ['localhost']),
            'localhost',
            '127.0.0.1',
            '::1',
          ]
        : [],
      // nginx -t binds the listen addresses: off for a tree built away from the host whose
      // addresses it names (a nodeset node assembled elsewhere); the node's own assembly checks
      ...(ctx.options.bool('config-check', true)
        ? {
            check: {
              daemon: 'nginx',
              template: 'template',
              file: files.config,
              env: programEnvironment(ctx),
              argv: testCommand(daemon.path, layout),
            },
          }
        : {}),
      htdocs,
      fallback: String(view.fallback),
      certificate,
      key,
      openssl,
      files: {
        config: files.config,
        home,
        temp: files.temp,
        errorLog: files.errorLog,
        accessLog: files.accessLog,
        mimeTypes: files.mimeTypes,
      },
    };
    for (const [option, value] of Object.entries({
      'config-file': files.config,
      address: formatAddress(http),
      htdocs,
      'run-directory': home,
      'error-log': files.errorLog,
      'access-log': files.accessLog,
      fallback: String(view.fallback),
    })) {
      // a value the user set stays as written
      if (!USER_SET.includes(option) || !ctx.options.has(option)) ctx.set(option, value);
    }
    if (https) ctx.set('https-address', formatAddress(https));
    if (certificate && key) {
      if (!ctx.options.has('ssl-certificate')) ctx.set('ssl-certificate', certificate);
      if (!ctx.options.has('ssl-key')) ctx.set('ssl-key', key);
      // the files in use, also when ssl-certificate/ssl-key are set empty (then generated)
      ctx.set('certificate-file', certificate);
      ctx.set('key-file', key);
      ctx.set('generate-certificate', String(generate));
    }
    const loopback = LOOPBACK.test(connectHost(http.host));
    ctx.declareProgram({
      name: ctx.name,
      type: 'nginx',
      command: foregroundCommand(daemon.path, layout),
      directory: home,
      environment: programEnvironment(ctx),
      ...programTiming(ctx, { priority: 40, readyTimeoutMs: 15_000, stopTimeoutMs: 10_000 }),
      // no user: the master keeps the process manager's identity (ports below 1024); the
      // workers switch to `user` themselves (the `user` directive)
      listen: https ? [http, https] : [http],
      upstream: upstreamOf(ctx, [backend]),
      ready: loopback
        ? { kind: 'http', url: localUrl(http, String(view.status_url)), status: 200 }
        : { kind: 'tcp', host: connectHost(http.host), port: http.port },
      stopSignal: 'SIGQUIT',
      reload: { signal: 'SIGHUP' },
      ownProcessGroup: true,
      configFiles: [files.config],
      // SIGUSR1: the master reopens them (and gives them to the workers' user), then the workers
      logs: { files: [files.errorLog, files.accessLog], reopen: 'signal', signal: 'SIGUSR1' },
      // the workers serve the pages, fill the temp paths and connect to varnish's socket; the
      // master (the manager's user) reads the config, the certificate and the key, opens the logs
      accessUser: user?.name ?? (isRoot() ? COMPILED_WORKER_USER : undefined),
      reads: [htdocs],
      writes: [files.temp, ...(backendSocket ? [backendSocket] : [])],
    });
    ctx.output(files.config, prepared.config, { mode: 0o644 });
    ctx.output(files.mimeTypes, prepared.mimeTypes, { mode: 0o644 });
    return prepared;
  },
  install: (ctx, prepared) => install(ctx, prepared),
  async update(_ctx, { files }) {
    prepareDirectories(files);
  },
});

function prepareDirectories(files: Prepared['files']): void {
  ensureDirectory(files.home);
  // nginx makes only the last component of a temp path; as root it gives them to the workers
  ensureDirectory(files.temp);
  ensureFile(files.errorLog);
  ensureFile(files.accessLog);
}

async function install(ctx: InstallContext, prepared: Prepared): Promise<void> {
  const { config, mimeTypes, fallbackPage, check, htdocs, fallback, openssl, files } = prepared;
  prepareDirectories(files);
  await ctx.writeFile(files.config, config, { mode: 0o644 });
  await ctx.writeFile(files.mimeTypes, mimeTypes, { mode: 0o644 });
  const page = path.join(htdocs, fallback, 'index.html');
  if (existsSync(page)) ctx.log.detail(`${page} exists (the operator's own page): leaving it alone`);
  else await ctx.writeFile(page, fallbackPage, { mode: 0o644 });
  if (openssl) {
    const { certificate, key, certificateNames: names } = prepared;
    await makeSelfSignedCertificate(ctx, { openssl, certificate: certificate!, key: key!, names });
  }
  // last: nginx -t reads the certificate and the mime types too
  if (check) await checkWithDaemon(ctx, check, config);
  else ctx.log.detail(`config-check = off: ${files.config} is not checked with nginx -t`);
}
