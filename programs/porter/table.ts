/**
 * The routing table in two layers. The config's `routes` are the base layer; what bin/porter
 * changes is an overlay kept in var/ (never recorded by the engine, so re-running bin/assemble
 * keeps it): routes it added (or moved: an added route with a config route's domain replaces that
 * route) and config routes it removed. The effective table is the base, minus what the overlay
 * removes or replaces, plus the overlay's routes. Pure functions over plain data.
 */
import { problems, type Problem } from '../../src/errors/factories/porter-problems';
import { checkAddress, checkDomain, checkKind, checkTlsPath, POOL_NAME, type Pool, type Route } from './routes';
import { soundMaintenance, type Maintenance } from './maintenance';

export interface Overlay {
  format: 1;
  /** Routes bin/porter added or moved, in the order they were added. */
  added: Route[];
  /** Names (first domains) of config routes bin/porter removed. */
  removed: string[];
  /** Sites in maintenance (bin/porter maintenance DOMAIN on) and the page each shows. */
  maintenance?: Maintenance[];
}

export interface EffectiveRoute extends Route {
  source: 'config' | 'porter';
  /** For a porter route: the config route it replaces. */
  replaces?: Route;
  /** Why it is not served (its pool is no longer defined); such routes stay in the overlay. */
  inactive?: string;
}

export function emptyOverlay(): Overlay {
  return { format: 1, added: [], removed: [] };
}

function overlaps(a: Route, b: Route): boolean {
  return a.domains.some((domain) => b.domains.includes(domain));
}

export function effectiveRoutes(base: Route[], overlay: Overlay, pools: Pool[]): EffectiveRoute[] {
  const routes: EffectiveRoute[] = [];
  for (const route of base) {
    if (overlay.removed.includes(route.domains[0]) || overlay.added.some((added) => overlaps(added, route))) continue;
    routes.push({ ...route, source: 'config' });
  }
  for (const route of overlay.added) {
    const replaces = base.find((b) => overlaps(b, route));
    const unknown = !route.backend.includes(':') && !pools.some((pool) => pool.name === route.backend);
    routes.push({
      ...route,
      source: 'porter',
      ...(replaces ? { replaces } : {}),
      ...(unknown ? { inactive: `pool "${route.backend}" is no longer defined in the config` } : {}),
    });
  }
  return routes;
}

/** The route serving a domain (its name or an alias). */
export function routeOf(routes: Route[], domain: string): Route | undefined {
  return routes.find((route) => route.domains.includes(domain));
}

/** The first domain of `domains` that is already taken, by a route or by a reserved name. */
export function takenDomain(routes: Route[], domains: string[], reserved: Map<string, string>): Problem | undefined {
  for (const domain of domains) {
    const owner = routeOf(routes, domain);
    if (owner) return problems.duplicate(domain, owner.domains[0], owner.backend);
    const what = reserved.get(domain);
    if (what) return problems.reserved(domain, what);
  }
  const twice = domains.find((domain, i) => domains.indexOf(domain) !== i);
  return twice ? problems.givenTwice(twice) : undefined;
}

type Change = { overlay: Overlay; problem?: undefined } | { overlay?: undefined; problem: Problem };

function copy(overlay: Overlay): Overlay {
  return {
    format: 1,
    added: overlay.added.map((r) => ({ ...r, domains: [...r.domains] })),
    removed: [...overlay.removed],
    ...(overlay.maintenance ? { maintenance: overlay.maintenance.map((m) => ({ ...m })) } : {}),
  };
}

export function addRoute(
  base: Route[],
  overlay: Overlay,
  pools: Pool[],
  route: Route,
  reserved: Map<string, string>,
): Change {
  const problem = takenDomain(effectiveRoutes(base, overlay, pools), route.domains, reserved);
  if (problem) return { problem };
  const next = copy(overlay);
  next.added.push(route);
  return { overlay: next };
}

/** Sends an existing route (named by any of its domains) to another backend, keeping its domains. */
export function moveRoute(
  base: Route[],
  overlay: Overlay,
  pools: Pool[],
  domain: string,
  change: Pick<Route, 'backend' | 'kind' | 'site'>,
): Change {
  const routes = effectiveRoutes(base, overlay, pools);
  const current = routeOf(routes, domain);
  if (!current)
    return {
      problem: problems.unknownDomain(
        domain,
        routes.map((r) => r.domains[0]),
      ),
    };
  const next = copy(overlay);
  next.added = next.added.filter((r) => r.domains[0] !== current.domains[0]);
  const moved: Route = {
    domains: [...current.domains],
    backend: change.backend,
    kind: change.kind,
    ...(change.site ? { site: change.site } : {}),
  };
  if (current.tls) moved.tls = current.tls; // a move keeps the route's certificate and https-only
  if (current.httpsOnly) moved.httpsOnly = true;
  next.added.push(moved);
  return { overlay: next };
}

/** Removes the route with this name: bin/porter's own, and the config's (remembered as removed). */
export function removeRoute(base: Route[], overlay: Overlay, pools: Pool[], domain: string): Change {
  const routes = effectiveRoutes(base, overlay, pools);
  const current = routes.find((route) => route.domains[0] === domain);
  if (!current) {
    const owner = routeOf(routes, domain);
    const known = routes.map((r) => r.domains[0]);
    if (owner)
      return {
        problem: {
          ...problems.unknownDomain(domain, known),
          hint: `${domain} is an alias of ${owner.domains[0]}; remove ${owner.domains[0]}, or move it.`,
        },
      };
    return { problem: problems.unknownDomain(domain, known) };
  }
  const next = copy(overlay);
  next.added = next.added.filter((r) => r.domains[0] !== domain);
  const configRoute = base.find((r) => overlaps(r, current));
  if (configRoute && !next.removed.includes(configRoute.domains[0])) next.removed.push(configRoute.domains[0]);
  return { overlay: next };
}

/** Forgets what bin/porter did to this domain: the config's route for it (if any) applies again. */
export function resetRoute(base: Route[], overlay: Overlay, domain: string): Change {
  const next = copy(overlay);
  const configRoute = base.find((r) => r.domains.includes(domain));
  next.added = next.added.filter((r) => !r.domains.includes(domain) && !(configRoute && overlaps(configRoute, r)));
  next.removed = next.removed.filter((name) => name !== domain && name !== configRoute?.domains[0]);
  if (next.added.length === overlay.added.length && next.removed.length === overlay.removed.length) {
    return { problem: problems.notChanged(domain) };
  }
  return { overlay: next };
}

/** Reads an overlay from JSON text, checking its shape (a hand-edited file must not break nginx). */
export function parseOverlay(text: string): Overlay {
  const data = JSON.parse(text) as Overlay;
  if (data?.format !== 1 || !Array.isArray(data.added) || !Array.isArray(data.removed))
    throw new Error('it is not a format 1 porter routing table');
  for (const route of data.added) {
    const sound =
      Array.isArray(route?.domains) &&
      route.domains.length > 0 &&
      route.domains.every((d) => typeof d === 'string' && checkDomain(d).value === d) &&
      typeof route.backend === 'string' &&
      (POOL_NAME.test(route.backend) || !checkAddress(route.backend).problem) &&
      !checkKind(route.kind, route.site).problem &&
      (route.httpsOnly === undefined || route.httpsOnly === true) &&
      (route.tls === undefined ||
        [route.tls.certificate, route.tls.key].every(
          (file) => typeof file === 'string' && checkTlsPath(file, '/').value === file,
        ));
    if (!sound)
      throw new Error(`the route ${JSON.stringify(route)} is incomplete or holds a value Porter would not accept`);
  }
  if (!data.removed.every((d) => typeof d === 'string' && checkDomain(d).value === d))
    throw new Error('its "removed" list holds something other than domains');
  if (!soundMaintenance(data.maintenance))
    throw new Error('its "maintenance" list holds something other than domains and absolute page paths');
  return data;
}
