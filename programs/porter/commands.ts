/**
 * What bin/porter does, one function per command. Input is checked before the lock is taken
 * (syntax, DNS); the table is read, changed and applied inside it, so concurrent edits queue up
 * and none is lost. A refused edit throws its problem's error and leaves the table and nginx.conf
 * as they were.
 */
import { applyTable, type Applied } from './apply';
import { readOverlay } from './files';
import { withLock } from './lock';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkPage, defaultMaintenancePage, withMaintenance, type Maintenance } from './maintenance';
import { problemError, problems, type Problem } from '../../src/errors/factories/porter-problems';
import { checkCertificateFiles } from './certificate-check';
import { defaultPair, ensureSelfSigned, selfSignedPair } from './tls';
import { probe, resolveHost, type Liveness } from './resolve';
import {
  backendAddresses,
  checkBackend,
  checkDomain,
  checkKind,
  checkTlsPath,
  formatAddress,
  type Route,
} from './routes';
import { reservedNames, type PorterSettings } from './settings';
import {
  addRoute,
  effectiveRoutes,
  moveRoute,
  removeRoute,
  resetRoute,
  routeOf,
  type EffectiveRoute,
  type Overlay,
} from './table';

const LOCK_SECONDS = 60;

function checked<T>(result: { value?: T; problem?: Problem }): T {
  if (result.problem) throw problemError(result.problem);
  return result.value!;
}

export interface RouteInput {
  domain: string;
  backend: string;
  kind?: string;
  site?: string;
  aliases: string[];
  cert?: string;
  key?: string;
  httpsOnly?: boolean;
}

function readable(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/** The route's certificate: given (and checked), or self-signed (made now) when porter has HTTPS. */
function certificateOf(settings: PorterSettings, route: Route, input: RouteInput): void {
  if (input.cert !== undefined && input.key !== undefined) {
    if (!settings.https?.length) throw problemError(problems.noHttps(settings.name));
    const tls = {
      certificate: checked(checkTlsPath(input.cert, process.cwd())),
      key: checked(checkTlsPath(input.key, process.cwd())),
    };
    const refused = checkCertificateFiles(tls, route.domains, readable);
    if (refused) throw problemError(refused);
    route.tls = tls;
  } else if (settings.https?.length && settings.openssl && settings.tlsDir) {
    const pair = selfSignedPair(settings.tlsDir, route.domains[0]);
    const stale = checkCertificateFiles(pair, route.domains, readable);
    if (stale) ensureSelfSigned(settings.openssl, pair, route.domains, true);
  }
  if (input.httpsOnly) {
    if (!settings.https?.length) throw problemError(problems.noHttps(settings.name));
    route.httpsOnly = true;
  }
}

/** Syntax and DNS of a backend; the host must resolve now, or nginx would refuse the config. */
async function checkedBackend(settings: PorterSettings, text: string): Promise<string> {
  const backend = checked(checkBackend(text, settings.pools));
  for (const address of backendAddresses(backend, settings.pools)) {
    const problem = await resolveHost(address.host);
    if (problem) throw problemError(problem);
  }
  return backend;
}

function kindAndSite(
  kind: string | undefined,
  site: string | undefined,
  current?: Route,
): Pick<Route, 'kind' | 'site'> {
  if (kind === undefined && site === undefined && current)
    return { kind: current.kind, ...(current.site ? { site: current.site } : {}) };
  return checked(checkKind(kind ?? (site === undefined ? 'http' : 'zope'), site));
}

async function edit(
  settings: PorterSettings,
  change: (overlay: Overlay) => { overlay?: Overlay; problem?: Problem },
): Promise<Applied> {
  return withLock(settings.lock, LOCK_SECONDS, async () => {
    const next = change(readOverlay(settings.overlay));
    if (next.problem) throw problemError(next.problem);
    return applyTable(settings, next.overlay!, { writeOverlay: true });
  });
}

export async function add(settings: PorterSettings, input: RouteInput): Promise<{ route: Route; applied: Applied }> {
  const domains = [input.domain, ...input.aliases].map((d) => checked(checkDomain(d)));
  const route: Route = { domains, backend: '', ...kindAndSite(input.kind, input.site) };
  route.backend = await checkedBackend(settings, input.backend);
  certificateOf(settings, route, input);
  const applied = await edit(settings, (overlay) =>
    addRoute(settings.routes, overlay, settings.pools, route, reservedNames(settings)),
  );
  return { route, applied };
}

export async function move(
  settings: PorterSettings,
  input: Omit<RouteInput, 'aliases'>,
): Promise<{ route: Route; applied: Applied }> {
  const domain = checked(checkDomain(input.domain));
  const backend = await checkedBackend(settings, input.backend);
  let moved: Route | undefined;
  const applied = await edit(settings, (overlay) => {
    const current = routeOf(effectiveRoutes(settings.routes, overlay, settings.pools), domain);
    const change = moveRoute(settings.routes, overlay, settings.pools, domain, {
      backend,
      ...kindAndSite(input.kind, input.site, current),
    });
    moved = change.overlay?.added[change.overlay.added.length - 1];
    return change;
  });
  return { route: moved!, applied };
}

export async function remove(settings: PorterSettings, text: string): Promise<Applied> {
  const domain = checked(checkDomain(text));
  return edit(settings, (overlay) => removeRoute(settings.routes, overlay, settings.pools, domain));
}

export async function reset(settings: PorterSettings, text: string): Promise<Applied> {
  const domain = checked(checkDomain(text));
  return edit(settings, (overlay) => resetRoute(settings.routes, overlay, domain));
}

/** Renders and reloads the table as it is (after bin/assemble, or to check nginx still takes it). */
export async function apply(settings: PorterSettings): Promise<Applied> {
  return withLock(settings.lock, LOCK_SECONDS, async () =>
    applyTable(settings, readOverlay(settings.overlay), { writeOverlay: false }),
  );
}

/**
 * After a renewal: every served route's certificate files are checked again (all must pass, or
 * nothing is reloaded), then the unchanged table is applied, and nginx's graceful reload reads them.
 */
export async function reloadCertificates(settings: PorterSettings): Promise<{ checked: number; applied: Applied }> {
  if (!settings.https?.length) throw problemError(problems.noHttps(settings.name));
  return withLock(settings.lock, LOCK_SECONDS, async () => {
    const overlay = readOverlay(settings.overlay);
    const routes = effectiveRoutes(settings.routes, overlay, settings.pools).filter((route) => !route.inactive);
    const pairs = [
      { pair: defaultPair(settings.tlsDir!), domains: [] as string[] },
      ...routes.map((route) => ({
        pair: route.tls ?? selfSignedPair(settings.tlsDir!, route.domains[0]),
        domains: route.domains,
      })),
    ];
    for (const { pair, domains } of pairs) {
      const refused = checkCertificateFiles(pair, domains, readable);
      if (refused) throw problemError(refused);
    }
    return { checked: pairs.length, applied: await applyTable(settings, overlay, { writeOverlay: false }) };
  });
}

export function list(settings: PorterSettings): EffectiveRoute[] {
  return effectiveRoutes(settings.routes, readOverlay(settings.overlay), settings.pools);
}

/** The sites in maintenance now, and the page each shows. */
export function inMaintenance(settings: PorterSettings): Maintenance[] {
  return readOverlay(settings.overlay).maintenance ?? [];
}

/**
 * Puts a site (a route, named by any of its domains, or a site of the nginx part) into
 * maintenance or takes it out: a graceful reload, so requests in flight finish and every later
 * one gets the 503 page.
 */
export async function maintenance(
  settings: PorterSettings,
  text: string,
  on: boolean,
  pageText?: string,
): Promise<{ domain: string; page?: string; applied: Applied }> {
  const domain = checked(checkDomain(text));
  const given = pageText === undefined ? undefined : checked(checkPage(pageText, process.cwd(), settings.pageReader));
  const fallback = settings.maintenancePage ?? path.join(settings.pages, '503.html');
  let named = domain;
  let page: string | undefined;
  const applied = await edit(settings, (overlay) => {
    const routes = effectiveRoutes(settings.routes, overlay, settings.pools).filter((route) => !route.inactive);
    const sites = settings.embedded?.sites ?? [];
    const owner = routeOf(routes, domain) ?? sites.find((site) => site.domains.includes(domain));
    if (!owner)
      return {
        problem: problems.unknownDomain(
          domain,
          [...sites, ...routes].map((r) => r.domains[0]),
        ),
      };
    named = owner.domains[0];
    page = on ? (given ?? defaultMaintenancePage(settings.pages, fallback, named)) : undefined;
    return { overlay: withMaintenance(overlay, named, page) };
  });
  return { domain: named, page, applied };
}

/** The backend's addresses nothing answers on right now (a warning for add and move, not a refusal). */
export async function unanswered(settings: PorterSettings, backend: string): Promise<string[]> {
  const results = await Promise.all(
    backendAddresses(backend, settings.pools).map(async (address) => ({ address, result: await probe(address, 2000) })),
  );
  return results
    .filter((r) => !r.result.alive)
    .map((r) => `${formatAddress(r.address)} (${r.result.alive ? '' : r.result.why})`);
}

export interface BackendCheck {
  route: string;
  backend: string;
  address: string;
  result: Liveness;
}

/** Every served route's backend addresses: resolved and connected to, in parallel. */
export async function check(settings: PorterSettings): Promise<BackendCheck[]> {
  const routes = list(settings).filter((route) => !route.inactive);
  const jobs = routes.flatMap((route) =>
    backendAddresses(route.backend, settings.pools).map(async (address): Promise<BackendCheck> => {
      const base = { route: route.domains[0], backend: route.backend, address: formatAddress(address) };
      const unresolved = await resolveHost(address.host);
      if (unresolved) return { ...base, result: { alive: false, why: 'host name does not resolve' } };
      return { ...base, result: await probe(address) };
    }),
  );
  return Promise.all(jobs);
}
