/**
 * What a porter part hands to bin/porter: the resolved options (listen addresses, pools, the
 * config's routes, developer access, logging, timeouts) and the paths of its files, written by
 * the recipe as parts/NAME/porter.json. bin/porter renders nginx.conf from exactly these and the
 * overlay, with the same function the recipe uses, so both always produce the same config.
 */
import { readFileSync } from 'node:fs';
import type { Address } from '../../src/recipe';
import type { NginxLayout } from '../nginx/public';
import type { Pool, Route } from './routes';

export interface DeveloperAccess {
  /** BASE-DOMAIN: SERVER.BASE and SERVER_PORT.BASE route straight to a pool's instance. */
  domain: string;
  /** Client addresses or CIDR blocks allowed to use it ("all" when empty). */
  allow: string[];
}

export interface PorterSettings {
  format: 1;
  /** The part's name (and the program's). */
  name: string;
  /** The nginx binary. */
  nginx: string;
  layout: NginxLayout;
  accessLog: string;
  /** The overlay (bin/porter's changes) and the lock that serialises edits of it. */
  overlay: string;
  lock: string;
  /** Directory with parked.html, 502.html, 503.html, 504.html (and sites/DOMAIN/5xx.html). */
  pages: string;
  listen: Address[];
  /** HTTPS addresses (listen-https): every route answers on them with its certificate, by SNI. */
  https?: Address[];
  /** Strict-Transport-Security max-age in seconds, sent over HTTPS only (0: off). */
  hsts?: number;
  /** var/porter/NAME/tls/: the self-signed certificates (per route without one, and the default). */
  tlsDir?: string;
  /** The openssl binary that makes them (set when there are HTTPS addresses). */
  openssl?: string;
  workers: string;
  pools: Pool[];
  /** The config's routes: the base layer. */
  routes: Route[];
  developer?: DeveloperAccess;
  /** Seconds. */
  connectTimeout: number;
  readTimeout: number;
  /** `syslog:server=...` target for the access log, besides the file. */
  syslog?: { server: string; facility: string; tag: string };
  /** User the workers run as when the master is root (nginx's default: nobody). */
  user?: string;
  /**
   * Who reads the pages when the master is root (nginx's workers): a page given to bin/porter
   * maintenance --page must be readable by that user, or nginx would answer a bare 503.
   */
  pageReader?: string;
  /** The page a site in maintenance shows unless it has its own (sites/DOMAIN/maintenance.html). */
  maintenancePage?: string;
  /** nginx's stub_status on the default server, for these client addresses only. */
  status?: { url: string; allow: string[] };
  /**
   * Set when the front door is an nginx part's own nginx (recipe nginx with front-door = on):
   * layout.conf is that part's config, which includes `routesConf` inside its http block; Porter
   * renders only that file (the routes, the parked default server, the maps and the JSON log).
   * `sites` are the part's own site servers: not Porter's routes, but listed, logged, and
   * switchable to maintenance like them.
   */
  embedded?: { routesConf: string; sites: FrontSite[] };
}

/** A site server of the nginx part (its server-name -> its upstream), as bin/porter shows it. */
export interface FrontSite {
  domains: string[];
  backend: string;
}

export function readSettings(file: string): PorterSettings {
  const settings = JSON.parse(readFileSync(file, 'utf8')) as PorterSettings;
  if (settings?.format !== 1) throw new Error(`${file} is not a format 1 porter settings file`);
  return settings;
}

/** One server reachable by developer access: a pool instance under one or two names. */
export interface DeveloperServer {
  pool: string;
  address: Address;
  /** SERVER_PORT.BASE, and SERVER.BASE for the pool's first (default) instance. */
  names: string[];
}

/**
 * Developer servers: only the instances of pools the config names, so the front door can never
 * be talked into proxying to an arbitrary host or port (it is no open proxy). Two instances of a
 * pool on the same port (on different hosts) get the name once: the first one keeps it.
 */
export function developerServers(settings: Pick<PorterSettings, 'developer' | 'pools'>): DeveloperServer[] {
  const base = settings.developer?.domain;
  if (!base) return [];
  const servers: DeveloperServer[] = [];
  for (const pool of settings.pools) {
    const seen = new Set<number>();
    pool.addresses.forEach((address, index) => {
      if (seen.has(address.port)) return;
      seen.add(address.port);
      const names = [`${pool.name}_${address.port}.${base}`];
      if (index === 0) names.push(`${pool.name}.${base}`);
      servers.push({ pool: pool.name, address, names });
    });
  }
  return servers;
}

/** Names developer access takes, so no route can claim them (domain -> what holds it). */
export function reservedNames(
  settings: Pick<PorterSettings, 'developer' | 'pools'> & Partial<Pick<PorterSettings, 'embedded' | 'name'>>,
): Map<string, string> {
  const reserved = new Map<string, string>();
  for (const site of settings.embedded?.sites ?? [])
    for (const name of site.domains) reserved.set(name, `the site of [${settings.name}] (-> ${site.backend})`);
  for (const server of developerServers(settings)) {
    for (const name of server.names) reserved.set(name, `developer access to pool ${server.pool}`);
  }
  return reserved;
}
