/**
 * The server blocks of a porter's nginx.conf: one upstream per backend (keep-alive to it), one
 * server per route (its domains and aliases as server_name, so nginx itself does the matching,
 * exact names before wildcards), one per developer-access instance, and the per-site error pages.
 * Every value here has passed the checks in routes.ts; addresses and names need no quoting.
 */
import type { Address } from '../../src/recipe';
import { nginxString } from '../nginx/public';
import { backendAddresses, formatAddress, type Pool } from './routes';
import type { DeveloperServer } from './settings';
import type { CertificatePair } from './tls';
import type { EffectiveRoute } from './table';
import { maintenanceLines } from './maintenance';

/** Upstream block names: a pool by its name, a single address by its place in the list. */
export class Upstreams {
  private readonly blocks = new Map<string, { name: string; addresses: Address[]; note: string }>();

  constructor(private readonly pools: Pool[]) {}

  forBackend(backend: string): string {
    const pool = this.pools.find((p) => p.name === backend);
    return pool
      ? this.add(
          `pool:${pool.name}`,
          `porter_pool_${pool.name.replace(/-/g, '_')}`,
          pool.addresses,
          `pool ${pool.name}`,
        )
      : this.forAddress(backendAddresses(backend, this.pools)[0]);
  }

  forAddress(address: Address): string {
    const shown = formatAddress(address);
    return this.add(`address:${shown}`, `porter_address_${this.blocks.size + 1}`, [address], shown);
  }

  private add(key: string, name: string, addresses: Address[], note: string): string {
    const known = this.blocks.get(key);
    if (known) return known.name;
    this.blocks.set(key, { name, addresses, note });
    return name;
  }

  render(): string[] {
    return [...this.blocks.values()].flatMap((block) => [
      `upstream ${block.name} {  # ${block.note}`,
      ...block.addresses.map((address) => `    server ${formatAddress(address)};`),
      // idle connections to the backend are reused; closed before a backend's own idle timeout
      // (node: 5 s) so nginx does not pick one the backend is closing
      '    keepalive 16;',
      '    keepalive_timeout 4s;',
      '}',
    ]);
  }
}

const STATUSES = [502, 503, 504];

/** How a route answers over HTTPS: where, with which certificate, and whether HTTP redirects. */
export interface RouteTls {
  https: Address[];
  pair: CertificatePair;
  /** Send Strict-Transport-Security ($porter_hsts: empty, so not sent, over plain HTTP). */
  hsts: boolean;
}

/** Error pages of one site: its own (sites/DOMAIN/5xx.html) when present, else the porter's. */
function errorPages(site: string, pages: string, headers: string[] = []): string[] {
  return [
    ...STATUSES.map((status) => `    error_page ${status} /.porter/${status}.html;`),
    '    location ~ ^/\\.porter/(?<porter_status>50[234])\\.html$ {',
    '        internal;',
    `        root ${nginxString(pages)};`,
    '        ssi on;  # the pages name the site: <!--# echo var="host" -->',
    '        add_header Cache-Control "no-store" always;',
    ...headers.map((header) => `    ${header}`), // add_header here hides the server's
    // site names are checked domains (letters, digits, ".", "-", "*", "_"): safe unquoted
    `        try_files /sites/${site}/$porter_status.html /$porter_status.html =500;`,
    '    }',
  ];
}

function proxyLocation(upstream: string, rewrite: string | undefined, hostHeader: string): string[] {
  return [
    '    location / {',
    ...(rewrite ? [`        rewrite ${rewrite} break;`] : []),
    `        proxy_pass http://${upstream};`,
    `        proxy_set_header Host ${hostHeader};`,
    '        proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '        proxy_set_header X-Forwarded-Proto $scheme;',
    '        proxy_set_header X-Real-IP $remote_addr;',
    '        proxy_set_header Connection "";',
    "        proxy_intercept_errors on;  # a backend's own 502/503/504 gets the friendly page too",
    '    }',
  ];
}

function listens(listen: Address[], flags = ''): string[] {
  return listen.map((address) => `    listen ${formatAddress(address)}${flags};`);
}

export function certificateLines(pair: CertificatePair): string[] {
  return [`    ssl_certificate ${nginxString(pair.certificate)};`, `    ssl_certificate_key ${nginxString(pair.key)};`];
}

/** The plain-HTTP half of an https-only route: a permanent redirect to the same URL over HTTPS. */
function redirectServer(route: EffectiveRoute, listen: Address[], https: Address[]): string[] {
  const port = https[0].port === 443 ? '' : `:${https[0].port}`;
  return [
    'server {  # https-only: plain HTTP is redirected',
    ...listens(listen),
    `    server_name ${route.domains.join(' ')};`,
    `    location / { return 301 https://$host${port}$request_uri; }`,
    '}',
  ];
}

export function routeServer(
  route: EffectiveRoute,
  listen: Address[],
  upstreams: Upstreams,
  pages: string,
  tls?: RouteTls,
): string[] {
  const upstream = upstreams.forBackend(route.backend);
  // Zope's VirtualHostMonster builds its URLs from this path: the scheme, host and port the
  // client used, then the site, then the request untouched
  const rewrite =
    route.kind === 'zope'
      ? `^(.*)$ /VirtualHostBase/$scheme/$host:$server_port/${route.site}/VirtualHostRoot$1`
      : undefined;
  const redirect = tls && route.httpsOnly;
  const headers = tls?.hsts ? ['    add_header Strict-Transport-Security $porter_hsts always;'] : [];
  return [
    'server {',
    ...(redirect ? [] : listens(listen)),
    ...(tls ? [...listens(tls.https, ' ssl'), ...certificateLines(tls.pair)] : []),
    `    server_name ${route.domains.join(' ')};`,
    ...headers,
    '    if ($request_method = PURGE) { return 405; }  # caches behind us trust our address',
    ...maintenanceLines(),
    ...proxyLocation(upstream, rewrite, route.kind === 'zope' ? '$host' : '$http_host'),
    ...errorPages(route.domains[0], pages, headers),
    '}',
    ...(redirect ? ['', ...redirectServer(route, listen, tls.https)] : []),
  ];
}

export function developerServer(
  server: DeveloperServer,
  allow: string[],
  listen: Address[],
  upstreams: Upstreams,
  pages: string,
): string[] {
  return [
    'server {',
    ...listens(listen),
    `    server_name ${server.names.join(' ')};`,
    ...allow.map((source) => `    allow ${source};`),
    ...(allow.length ? ['    deny all;'] : []),
    ...proxyLocation(upstreams.forAddress(server.address), undefined, '$http_host'),
    ...errorPages(server.names[0], pages),
    '}',
  ];
}
