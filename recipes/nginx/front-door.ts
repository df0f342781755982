/**
 * `front-door = on`: the nginx part becomes the deployment's front door, driven by Porter. Its
 * own site server (server-name -> backend, with the VHM rewrite, the fallback page and the status
 * page) stays as the template renders it; Porter adds, in a file the config includes inside its
 * http block: the routes of `routes`/`pools` and of bin/porter (each domain its own server,
 * certificate by SNI, 502/503/504 pages), the parked page as `default_server` on the HTTP and
 * HTTPS address, nginx's status page there too (reached by address), maintenance per site, and
 * the JSON access log (plus its syslog copy). One nginx, one master: bin/porter re-renders only
 * the include and reloads this part's nginx gracefully.
 */
import * as path from 'node:path';
import type { Address, InstallContext, OptionsContext } from '../../src/recipe';
import { findBinary } from '../shared/binaries';
import { formatAddress } from '../shared/checks';
import { installPorter, launcherText } from '../shared/porter-install';
import { readRoutingOptions } from '../shared/porter-options';
import type { NginxLayout } from '../../programs/nginx/public';
import {
  includeDirective,
  MAINTENANCE_PAGE,
  maintenanceLines,
  PAGE_FILES,
  porterProgram,
  type PorterSettings,
} from '../../programs/porter/public';

/** The options front-door = on adds to the nginx recipe (the porter recipe's, same meaning). */
export const FRONT_DOOR_OPTIONS = [
  'front-door',
  'pools',
  'external-pools',
  'routes',
  'developer-domain',
  'developer-allow',
  'hsts',
  'syslog',
  'syslog-facility',
  'syslog-tag',
  'error-pages',
  'script',
] as const;

export interface FrontDoor {
  settings: PorterSettings;
  settingsFile: string;
  script: string;
  cli: string;
  builtinPages?: Record<string, string>;
  maintenancePage: string;
}

/** The template's view of the front door: the include line and the site server's maintenance lines. */
export function frontDoorView(door: FrontDoor | undefined): Record<string, unknown> {
  if (!door) return { front_door: false };
  return {
    front_door: {
      include: includeDirective(door.settings.embedded!.routesConf),
      site_lines: maintenanceLines('        ').join('\n'),
    },
  };
}

function readPage(ctx: OptionsContext, file: string): string {
  const page = ctx.readInput(ctx.paths.templates('porter', file));
  if (!page)
    throw ctx.error(
      'error-pages',
      `Zetaserver's built-in page templates/porter/${file} is missing`,
      'reinstall Zetaserver, or set error-pages to a directory of your own.',
    );
  return page.text;
}

export interface FrontDoorSetup {
  nginx: string;
  layout: NginxLayout;
  http: Address;
  https?: Address;
  accessLog: string;
  /** The site server's names and where it sends them. */
  siteNames: string[];
  siteBackend: string;
  status: { url: string; allow: string[] };
  /** Who nginx's workers run as when the master is root: they read the pages. */
  pageReader?: string;
}

/** front-door = on: Porter's settings for this part (checked now), and the files it writes. */
export function readFrontDoor(ctx: OptionsContext, setup: FrontDoorSetup): FrontDoor | undefined {
  if (!ctx.options.bool('front-door', false)) {
    const stray = FRONT_DOOR_OPTIONS.find((option) => option !== 'front-door' && ctx.options.has(option));
    if (stray)
      throw ctx.error(stray, `option ${stray} of [${ctx.name}] belongs to the front door`, 'set front-door = on.');
    return undefined;
  }
  const location = ctx.paths.part(ctx.name);
  const state = ctx.paths.variable('porter', ctx.name);
  const https = setup.https ? [setup.https] : [];
  const embedded = {
    routesConf: path.join(location, 'front-door.conf'),
    sites: [{ domains: setup.siteNames, backend: setup.siteBackend }],
  };
  const routing = readRoutingOptions(ctx, https, embedded, 'https');
  const pagesOption = ctx.options.get('error-pages')?.trim();
  const pages = pagesOption ? path.resolve(ctx.paths.directory, pagesOption) : path.join(location, 'pages');
  if (/[$"\n]/.test(pages))
    throw ctx.error('error-pages', `the error-pages path ${JSON.stringify(pages)} holds "$", a quote or a newline`);
  const scriptName = ctx.options.get('script')?.trim() || 'porter';
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(scriptName))
    throw ctx.error('script', `script name "${scriptName}" must be a plain file name`);
  const settings: PorterSettings = {
    format: 1,
    name: ctx.name,
    nginx: setup.nginx,
    layout: setup.layout,
    pages,
    accessLog: setup.accessLog,
    overlay: path.join(state, 'routes.json'),
    lock: path.join(state, 'routes.lock'),
    tlsDir: path.join(state, 'tls'),
    ...(https.length ? { openssl: findBinary(ctx, ['openssl'], 'openssl', 'openssl') } : {}),
    maintenancePage: path.join(location, MAINTENANCE_PAGE),
    listen: [setup.http],
    https,
    workers: 'auto', // the part's worker-processes rule: Porter writes no main block here
    status: setup.status,
    ...(setup.pageReader ? { pageReader: setup.pageReader } : {}),
    embedded,
    ...routing,
    // the part's own defaults (185 s to read, as its site server), so a route waits as long
    readTimeout: ctx.options.int('read-timeout', 185, { min: 1, max: 3600 }),
  };
  const builtinPages = pagesOption
    ? undefined
    : Object.fromEntries(PAGE_FILES.map((file) => [file, readPage(ctx, file)]));
  const door: FrontDoor = {
    settings,
    settingsFile: path.join(location, 'porter.json'),
    script: path.join(ctx.paths.bin, scriptName),
    cli: porterProgram(ctx.paths.zetaserver()),
    builtinPages,
    maintenancePage: readPage(ctx, MAINTENANCE_PAGE),
  };
  for (const [file, text] of Object.entries(builtinPages ?? {}))
    ctx.output(path.join(pages, file), text, { mode: 0o644 });
  ctx.output(settings.maintenancePage!, door.maintenancePage, { mode: 0o644 });
  ctx.output(door.settingsFile, `${JSON.stringify(settings, null, 1)}\n`, { mode: 0o644 });
  ctx.output(door.script, launcherText(door.script, ctx.name, door.cli, door.settingsFile), { mode: 0o755 });
  ctx.set('script', door.script);
  ctx.set('routes-file', settings.overlay);
  ctx.set('front-door-conf', embedded.routesConf);
  return door;
}

/** What the front door adds to the program: its pools as upstreams, its pages as files to read. */
export function frontDoorProgram(door: FrontDoor | undefined): { upstream: Address[]; reads: string[] } {
  if (!door) return { upstream: [], reads: [] };
  const own = door.settings.pools.filter((pool) => !pool.external).flatMap((pool) => pool.addresses);
  return { upstream: own, reads: [door.settings.pages, door.settings.maintenancePage!] };
}

/** Writes the include, the pages, porter.json and bin/porter (before the part's nginx -t). */
export async function installFrontDoor(ctx: InstallContext, door: FrontDoor, fresh: boolean): Promise<void> {
  await installPorter(ctx, { ...door, fresh });
}

export function siteBackend(backend: Address, socket: string | undefined): string {
  return socket ? `unix:${socket}` : formatAddress(backend);
}
