/**
 * renderNginx: a porter's whole nginx.conf from its settings and the effective routes. The
 * recipe and bin/porter both call it, so a route added at run time and one from the config end up
 * as the same text. The config carries a generation (a hash of everything else in it) that the
 * default server answers to local probes, so bin/porter can tell when a reload is live.
 */
import { createHash } from 'node:crypto';
import type { Address } from '../../src/recipe';
import { layoutDirectives, nginxString } from '../nginx/public';
import { formatAddress } from './routes';
import { certificateLines, developerServer, routeServer, Upstreams, type RouteTls } from './render-servers';
import { defaultPair, selfSignedPair, TLS_DIRECTIVES } from './tls';
import { developerServers, type PorterSettings } from './settings';
import type { EffectiveRoute } from './table';
import { maintenanceMap, type Maintenance } from './maintenance';

/** Where bin/porter asks which configuration is live (default server, loopback only). */
export const GENERATION_PATH = '/.well-known/porter-generation';
const GENERATION_MARK = '@GENERATION@';

/** One JSON object per line; nginx escapes the values (escape=json). */
const LOG_FORMAT = [
  '{"time":"$time_iso8601","client":"$remote_addr","domain":"$host","route":"$porter_route"',
  ',"backend":"$porter_backend","upstream":"$upstream_addr","method":"$request_method","uri":"$request_uri"',
  ',"status":$status,"bytes":$body_bytes_sent,"request_time":$request_time,"upstream_time":"$upstream_response_time"}',
];

function map(variable: string, entries: Array<[string, string]>): string[] {
  return [
    `map $server_name ${variable} {`,
    '    default "-";',
    ...entries.map(([key, value]) => `    "${key}" "${value}";`),
    '}',
  ];
}

function probeSources(listen: Address[]): string[] {
  const sources = new Set(['127.0.0.1', '::1']);
  for (const address of listen) if (address.host !== '0.0.0.0' && address.host !== '::') sources.add(address.host);
  return [...sources];
}

/** nginx's status page on the default server (reached by address, not by a site's name). */
function statusLocation(settings: PorterSettings): string[] {
  if (!settings.status) return [];
  return [
    `    location = ${settings.status.url} {`,
    '        stub_status;',
    '        access_log off;',
    ...settings.status.allow.map((source) => `        allow ${source};`),
    '        deny all;',
    '    }',
  ];
}

function defaultServer(settings: PorterSettings): string[] {
  const https = settings.https ?? [];
  return [
    'server {  # every domain no route claims: the parked page',
    ...settings.listen.map((address) => `    listen ${formatAddress(address)} default_server;`),
    ...https.map((address) => `    listen ${formatAddress(address)} ssl default_server;`),
    ...(https.length ? certificateLines(defaultPair(settings.tlsDir!)) : []),
    '    server_name _;',
    `    location = ${GENERATION_PATH} {`,
    ...probeSources(settings.listen).map((source) => `        allow ${source};`),
    '        deny all;',
    '        default_type text/plain;',
    `        return 200 "${GENERATION_MARK}\\n";`,
    '    }',
    ...statusLocation(settings),
    '    location / { return 404; }',
    '    error_page 404 /.porter/parked.html;',
    '    location = /.porter/parked.html {',
    '        internal;',
    `        alias ${nginxString(`${settings.pages}/parked.html`)};`,
    '        ssi on;',
    '        add_header Cache-Control "no-store" always;  # a parked domain may be routed any moment',
    '    }',
    '}',
  ];
}

function accessLogs(settings: PorterSettings): string[] {
  // an nginx part's log was buffered before it was Porter's: kept so, a write per request costs
  const buffer = settings.embedded ? ' buffer=64k flush=1s' : '';
  const logs = [`access_log ${nginxString(settings.accessLog)} porter${buffer};`];
  if (settings.syslog) {
    const { server, facility, tag } = settings.syslog;
    logs.push(`access_log syslog:server=${server},facility=${facility},tag=${tag},severity=info,nohostname porter;`);
  }
  return logs;
}

/** A route's TLS: its own certificate, or the self-signed one made for its first domain. */
function routeTls(settings: PorterSettings, route: EffectiveRoute): RouteTls | undefined {
  if (!settings.https?.length) return undefined;
  const pair = route.tls ?? selfSignedPair(settings.tlsDir!, route.domains[0]);
  return { https: settings.https, pair, hsts: (settings.hsts ?? 0) > 0 };
}

/** Server-wide TLS: the protocols and ciphers, and the HSTS value (empty, so not sent, over plain HTTP). */
function tlsDirectives(settings: PorterSettings): string[] {
  if (!settings.https?.length) return [];
  if (!settings.hsts) return TLS_DIRECTIVES;
  const hsts = ['map $https $porter_hsts {', `    on "max-age=${settings.hsts}";`, '    default "";', '}'];
  return [...TLS_DIRECTIVES, ...hsts];
}

/** The lines of the http block Porter owns: in its own nginx.conf, or the include of an nginx part. */
function httpSection(settings: PorterSettings, routes: EffectiveRoute[], maintenance: Maintenance[]): string[] {
  const served = routes.filter((route) => !route.inactive);
  const developers = developerServers(settings);
  const sites = settings.embedded?.sites ?? [];
  const upstreams = new Upstreams(settings.pools);
  const servers = [
    ...served.flatMap((route) => [
      '',
      `# ${route.source} route ${route.domains[0]} -> ${route.backend}`,
      ...routeServer(route, settings.listen, upstreams, settings.pages, routeTls(settings, route)),
    ]),
    ...developers.flatMap((server) => [
      '',
      `# developer access: ${server.pool} ${formatAddress(server.address)}`,
      ...developerServer(server, settings.developer!.allow, settings.listen, upstreams, settings.pages),
    ]),
  ];
  const named = new Set([...served.map((r) => r.domains[0]), ...sites.map((s) => s.domains[0])]);
  // an nginx part's own config already sets these; twice at one level nginx refuses
  const own = settings.embedded
    ? []
    : [
        ...layoutDirectives(settings.layout).http,
        'types { text/html html; }',
        'default_type application/octet-stream;',
        'server_tokens off;',
      ];
  return [
    ...own,
    'server_names_hash_bucket_size 128;',
    'server_names_hash_max_size 8192;',
    'map_hash_bucket_size 128;',
    `proxy_connect_timeout ${settings.connectTimeout}s;`,
    `proxy_read_timeout ${settings.readTimeout}s;`,
    `proxy_send_timeout ${settings.readTimeout}s;`,
    'proxy_http_version 1.1;',
    '',
    `log_format porter escape=json\n        '${LOG_FORMAT.join(`'\n        '`)}';`,
    ...accessLogs(settings),
    ...tlsDirectives(settings),
    ...map('$porter_route', [
      ...served.map((r): [string, string] => [r.domains[0], r.domains[0]]),
      ...sites.map((s): [string, string] => [s.domains[0], s.domains[0]]),
      ...developers.map((d): [string, string] => [d.names[0], 'developer']),
    ]),
    ...map('$porter_backend', [
      ...served.map((r): [string, string] => [r.domains[0], r.backend]),
      ...sites.map((s): [string, string] => [s.domains[0], s.backend]),
      ...developers.map((d): [string, string] => [d.names[0], `${d.pool} ${formatAddress(d.address)}`]),
    ]),
    ...maintenanceMap(maintenance, named),
    '',
    ...defaultServer(settings),
    ...servers,
    '',
    ...upstreams.render(),
  ];
}

/**
 * A porter's whole nginx.conf; or, for an nginx part that is a front door (settings.embedded),
 * the file its config includes inside the http block.
 */
export function renderNginx(
  settings: PorterSettings,
  routes: EffectiveRoute[],
  maintenance: Maintenance[] = [],
): string {
  const section = httpSection(settings, routes, maintenance);
  const indent = (lines: string[]): string[] => lines.map((line) => (line ? `    ${line}` : line));
  const text = settings.embedded
    ? [
        `# The front door of nginx part [${settings.name}]: routes, the parked default server, maintenance and the`,
        '# JSON access log. Generated by Zetaserver and by bin/porter on every change; included by',
        `# ${settings.layout.conf}. Edit the config or use bin/porter, not this file.`,
        `# generation ${GENERATION_MARK}`,
        ...section,
        '',
      ]
    : [
        `# nginx.conf of porter [${settings.name}], generated by Zetaserver (recipe porter) and by`,
        '# bin/porter on every route change: edit the config or use bin/porter, not this file.',
        `# generation ${GENERATION_MARK}`,
        `worker_processes ${settings.workers};`,
        ...(settings.user ? [`user ${settings.user};`] : []),
        ...layoutDirectives(settings.layout).main,
        'events {',
        '    worker_connections 1024;',
        '}',
        'http {',
        ...indent(section),
        '}',
        '',
      ];
  const joined = text.join('\n');
  const generation = createHash('sha256').update(joined).digest('hex').slice(0, 16);
  return joined.split(GENERATION_MARK).join(generation);
}

/** The line by which an nginx part's config includes the front door's file (inside its http block). */
export function includeDirective(routesConf: string): string {
  return `include ${nginxString(routesConf)};`;
}

/** The generation a rendered config carries. */
export function generationOf(conf: string): string | undefined {
  return /^# generation ([0-9a-f]{16})$/m.exec(conf)?.[1];
}
