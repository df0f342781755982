/**
 * The nginx recipe's view: the HTTP and HTTPS servers (listen syntax for the nginx version:
 * `listen ... ssl http2` before 1.25.1, `http2 on;` from then), the Zope virtual-hosting rewrite
 * per scheme, the redirect of logged-in users to HTTPS, and every checked value.
 */
import type { Address, OptionsContext } from '../../src/recipe';
import { checkSize, checkUrlPath, checkHost, formatAddress } from '../shared/checks';
import { versionAtLeast } from '../shared/daemon';
import { isRoot, type SystemUser } from '../shared/users';

export interface NginxSetup {
  http: Address;
  https?: Address;
  backend: Address;
  backendSocket?: string;
  version?: string;
  user?: SystemUser;
  certificate?: string;
  key?: string;
  files: {
    config: string;
    prefix: string;
    pid: string;
    errorLog: string;
    accessLog: string;
    temp: string;
    mimeTypes: string;
    htdocs: string;
  };
}

function serverNames(ctx: OptionsContext): string[] {
  const names = ctx.options.has('server-name') ? ctx.options.words('server-name') : ['localhost'];
  return names.map((name) =>
    name.startsWith('*.') ? `*.${checkHost(ctx, 'server-name', name.slice(2))}` : checkHost(ctx, 'server-name', name),
  );
}

/** `vhm-site = Plone` turns on the rewrite; `vhm-site =` (empty) proxies paths unchanged. */
function vhm(ctx: OptionsContext, scheme: string, port: number, host: string) {
  const site = ctx.options.get('vhm-site')?.trim() ?? '';
  if (!site) return false;
  if (!/^[A-Za-z0-9_.~-]+(\/[A-Za-z0-9_.~-]+)*$/.test(site))
    throw ctx.error(
      'vhm-site',
      `option vhm-site of [${ctx.name}] is not a Zope path: ${JSON.stringify(site)}`,
      'the id of the Plone site, e.g. vhm-site = Plone',
    );
  const portOption = `vhm-${scheme}-port`;
  const vhmPort = ctx.options.has(portOption) ? ctx.options.int(portOption, port, { min: 1, max: 65535 }) : port;
  return { scheme, vhm_host: host, vhm_port: vhmPort, vhm_site: site };
}

export function nginxView(ctx: OptionsContext, setup: NginxSetup): Record<string, unknown> {
  const names = serverNames(ctx);
  const host = checkHost(ctx, 'vhm-host', ctx.options.get('vhm-host')?.trim() || names[0].replace(/^\*\./, ''));
  const fallback = checkUrlPath(
    ctx,
    'fallback',
    (ctx.options.get('fallback') ?? '/system_error').replace(/\/+$/, '') || '/system_error',
  );
  const http2On = versionAtLeast(setup.version, '1.25.1');
  const common = { server_name: names.join(' '), htdocs: setup.files.htdocs };
  const servers: Array<Record<string, unknown>> = [
    {
      ...common,
      listen: formatAddress(setup.http),
      http2_on: false,
      ssl: false,
      vhm: vhm(ctx, 'http', setup.http.port, host),
      redirect_to_https:
        setup.https && ctx.options.bool('redirect-authenticated', true)
          ? { redirect_host: `${host}:${setup.https.port}` }
          : false,
    },
  ];
  if (setup.https) {
    const http2 = ctx.options.bool('http2', true);
    servers.push({
      ...common,
      listen: `${formatAddress(setup.https)} ssl${http2 && !http2On ? ' http2' : ''}`,
      http2_on: http2 && http2On,
      ssl: { certificate: setup.certificate, key: setup.key },
      vhm: vhm(ctx, 'https', setup.https.port, host),
      redirect_to_https: false,
    });
  }
  const allow = ctx.options.has('status-allow') ? ctx.options.words('status-allow') : ['127.0.0.1', '::1'];
  for (const entry of allow)
    if (!/^[0-9A-Fa-f.:]+(\/\d{1,3})?$/.test(entry))
      throw ctx.error(
        'status-allow',
        `${JSON.stringify(entry)} is not an address or network`,
        'for example: status-allow = 127.0.0.1 ::1',
      );
  const workers = ctx.options.get('worker-processes')?.trim() || 'auto';
  if (!/^(auto|\d{1,3})$/.test(workers))
    throw ctx.error('worker-processes', `worker-processes must be a number or auto, not ${JSON.stringify(workers)}`);
  return {
    part: ctx.name,
    nginx_version: setup.version ?? 'unknown',
    config_file: setup.files.config,
    prefix: setup.files.prefix,
    pid_file: setup.files.pid,
    error_log: setup.files.errorLog,
    access_log: setup.files.accessLog,
    temp: setup.files.temp,
    mime_types: setup.files.mimeTypes,
    // only a root master can switch its workers to another user
    worker_user: setup.user && isRoot() ? `${setup.user.name} ${setup.user.group}` : false,
    worker_processes: workers,
    worker_connections: ctx.options.int('worker-connections', 1024, { min: 16, max: 1_000_000 }),
    client_max_body_size: checkSize(
      ctx,
      'client-max-body-size',
      ctx.options.get('client-max-body-size') ?? '128m',
      '128m',
    ),
    upstream_name: 'varnish',
    backend: setup.backendSocket ? `unix:${setup.backendSocket}` : formatAddress(setup.backend),
    keepalive: ctx.options.int('keepalive', 32, { min: 1, max: 10_000 }),
    connect_timeout: ctx.options.int('connect-timeout', 5, { min: 1, max: 3600 }) + 's',
    read_timeout: ctx.options.int('read-timeout', 185, { min: 1, max: 86_400 }) + 's',
    status_url: checkUrlPath(ctx, 'status-url', ctx.options.get('status-url') ?? '/_nginx_status_', '/_nginx_status_'),
    status_allow: allow,
    fallback,
    static_paths: ctx.options.words('static-paths').map((p) => checkUrlPath(ctx, 'static-paths', p, '/static/')),
    servers,
  };
}
