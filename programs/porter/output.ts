/**
 * How bin/porter shows routes and backend checks: aligned columns for people, one JSON document
 * for programs (--json).
 */
import { backendAddresses, formatAddress, type Route } from './routes';
import type { PorterSettings } from './settings';
import type { BackendCheck } from './commands';
import type { EffectiveRoute } from './table';
import type { Maintenance } from './maintenance';

export function formatRoute(route: Route): string {
  const aliases = route.domains.length > 1 ? ` (aliases ${route.domains.slice(1).join(' ')})` : '';
  return `${route.domains[0]}${aliases} -> ${route.backend} [${route.kind}${route.site ? ` ${route.site}` : ''}]`;
}

function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i])))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function origin(route: EffectiveRoute): string {
  if (route.inactive) return `bin/porter, NOT SERVED: ${route.inactive}`;
  if (route.source === 'config') return 'config';
  return route.replaces ? `bin/porter (replaces the config's -> ${route.replaces.backend})` : 'bin/porter';
}

/** What a route serves over HTTPS: its certificate file, or self-signed; and https-only. */
function tlsOf(route: Route): string {
  return `${route.tls ? route.tls.certificate : 'self-signed'}${route.httpsOnly ? ' (https-only)' : ''}`;
}

export function printList(
  settings: PorterSettings,
  routes: EffectiveRoute[],
  maintenance: Maintenance[],
  json: boolean,
): void {
  const sites = settings.embedded?.sites ?? [];
  const pageOf = (domains: string[]): string | undefined => maintenance.find((m) => m.domain === domains[0])?.page;
  if (json) {
    const shown = routes.map((route) => ({ ...route, maintenance: pageOf(route.domains) ?? null }));
    const ownSites = sites.map((site) => ({ ...site, maintenance: pageOf(site.domains) ?? null }));
    const developer = settings.developer ?? null;
    process.stdout.write(
      `${JSON.stringify({ routes: shown, sites: ownSites, pools: settings.pools, developer }, null, 1)}\n`,
    );
    return;
  }
  if (!routes.length && !sites.length) {
    process.stdout.write('no routes: every domain gets the parked page (bin/porter add DOMAIN BACKEND adds one)\n');
    return;
  }
  const https = Boolean(settings.https?.length);
  const paused = maintenance.length > 0;
  const rows = [
    ['DOMAIN', 'ALIASES', 'BACKEND', 'KIND', ...(https ? ['TLS'] : []), ...(paused ? ['MAINTENANCE'] : []), 'FROM'],
  ];
  const state = (domains: string[]): string[] => {
    const page = pageOf(domains);
    return paused ? [page ? `on (${page})` : '-'] : [];
  };
  for (const site of sites) {
    const aliases = site.domains.slice(1).join(' ') || '-';
    const from = `the site of [${settings.name}]`;
    rows.push([
      site.domains[0],
      aliases,
      site.backend,
      'site',
      ...(https ? ['its own'] : []),
      ...state(site.domains),
      from,
    ]);
  }
  for (const route of routes) {
    const addresses = backendAddresses(route.backend, settings.pools).map(formatAddress).join(' ');
    const backend = route.backend.includes(':') ? route.backend : `${route.backend} (${addresses})`;
    const kind = route.site ? `${route.kind} ${route.site}` : route.kind;
    const aliases = route.domains.slice(1).join(' ') || '-';
    const tls = https ? [tlsOf(route)] : [];
    rows.push([route.domains[0], aliases, backend, kind, ...tls, ...state(route.domains), origin(route)]);
  }
  process.stdout.write(`${columns(rows)}\n`);
}

export function printCheck(results: BackendCheck[], json: boolean): void {
  const dead = results.filter((r) => !r.result.alive);
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ ok: dead.length === 0, backends: results, dead: dead.length }, null, 1)}\n`,
    );
    return;
  }
  const rows = [['', 'DOMAIN', 'BACKEND', 'ADDRESS', 'RESULT']];
  for (const r of results)
    rows.push([
      r.result.alive ? 'ok' : 'DEAD',
      r.route,
      r.backend,
      r.address,
      r.result.alive ? `answers (${r.result.ms} ms)` : r.result.why,
    ]);
  process.stdout.write(`${results.length ? columns(rows) : 'no routes to check'}\n`);
  process.stdout.write(
    dead.length
      ? `${dead.length} of ${results.length} backend addresses are dead\n`
      : `all ${results.length} backend addresses answer\n`,
  );
}
