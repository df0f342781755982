/**
 * installPorter: what the porter recipe makes. The var/ directories nginx needs (made directly,
 * not registered: var/ outlives reinstalls, and with it bin/porter's overlay); the error pages;
 * porter.json for bin/porter; nginx.conf from the config's routes plus the overlay (checked with
 * `nginx -t`); the bin/porter launcher. Install resolves every backend host name first: a name
 * that does not resolve would make nginx refuse the whole config.
 */
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { splitAddress, type InstallContext } from '../../src/recipe';
import { layoutDirectories, testCommand } from '../../programs/nginx/public';
import { checkWithDaemon } from '../shared/daemon-check';
import { shellQuote } from '../shared/command-words';
import { checkCertificateFiles, defaultPair, selfSignedArgv, selfSignedPair, readOverlay, PAGE_FILES, renderNginx, resolveHosts, type PorterSettings, effectiveRoutes, type EffectiveRoute, type Overlay } from '../../programs/porter/public';

export interface PorterInstall {
  settings: PorterSettings;
  settingsFile: string;
  script: string;
  cli: string;
  /** The built-in pages by file name, or undefined with the recipe's `error-pages` directory. */
  builtinPages?: Record<string, string>;
  /** install (every file written and registered) or update (only what changed). */
  fresh: boolean;
}

async function write(ctx: InstallContext, fresh: boolean, file: string, text: string, mode = 0o644): Promise<boolean> {
  if (!fresh) {
    try {
      if (readFileSync(file, 'utf8') === text && (statSync(file).mode & 0o777) === mode) return false;
    } catch {
      // missing: write it
    }
  }
  await ctx.writeFile(file, text, { mode });
  return true;
}

async function checkHosts(ctx: InstallContext, settings: PorterSettings): Promise<void> {
  const options: Array<[string, string[]]> = [
    ['pools', settings.pools.filter((p) => !p.external).flatMap((p) => p.addresses.map((a) => a.host))],
    ['external-pools', settings.pools.filter((p) => p.external).flatMap((p) => p.addresses.map((a) => a.host))],
    ['routes', settings.routes.filter((r) => r.backend.includes(':')).map((r) => splitAddress(r.backend).host)],
  ];
  for (const [option, hosts] of options) {
    const problem = (await resolveHosts(hosts)).find((p) => p !== undefined);
    if (problem) throw ctx.error(option, problem.message, problem.hint);
  }
}

function notes(ctx: InstallContext, routes: EffectiveRoute[], overlay: Overlay, settings: PorterSettings): void {
  const script = `bin/${path.basename(ctx.options.get('script') ?? settings.name)}`;
  for (const route of routes) {
    const name = route.domains[0];
    if (route.inactive) ctx.log.warn(`route ${name} (added with ${script}) is not served: ${route.inactive}; define the pool again or run ${script} remove ${name}`);
    else if (route.replaces) ctx.log.info(`route ${name} -> ${route.backend} from ${script} replaces the config's (-> ${route.replaces.backend}); ${script} reset ${name} returns to the config`);
  }
  for (const name of overlay.removed) {
    if (settings.routes.some((r) => r.domains[0] === name)) ctx.log.info(`route ${name} of the config stays removed (by ${script} remove); ${script} reset ${name} brings it back`);
  }
}

/** nginx's workers run as nobody when the master is root: they must be able to reach the pages. */
function warnUnreadablePages(ctx: InstallContext, settings: PorterSettings): void {
  if (process.getuid?.() !== 0 || settings.user) return;
  for (let dir = settings.pages; dir !== path.dirname(dir); dir = path.dirname(dir)) {
    try {
      if ((statSync(dir).mode & 0o001) === 0) {
        ctx.log.warn(`nginx's workers (user nobody) cannot enter ${dir}, so the parked and error pages in ${settings.pages} cannot be served; chmod o+x ${dir}, or set "user" to a user that can`);
        return;
      }
    } catch {
      return;
    }
  }
}

function readable(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * With HTTPS addresses: a self-signed certificate per route that names none (and the default one),
 * in var/porter/NAME/tls/ (kept across reinstalls, like the overlay). One that still covers its
 * route and has not expired is kept; the key is 0600 before openssl writes into it.
 */
async function makeSelfSigned(ctx: InstallContext, settings: PorterSettings, routes: EffectiveRoute[]): Promise<void> {
  if (!settings.https?.length || !settings.tlsDir || !settings.openssl) return;
  mkdirSync(settings.tlsDir, { recursive: true, mode: 0o755 });
  const wanted = [
    { pair: defaultPair(settings.tlsDir), names: ['porter-default.invalid'] },
    ...routes.filter((route) => !route.tls)
      .map((route) => ({ pair: selfSignedPair(settings.tlsDir!, route.domains[0]), names: route.domains })),
  ];
  for (const { pair, names } of wanted) {
    if (!checkCertificateFiles(pair, names, readable)) continue;
    writeFileSync(pair.key, '', { mode: 0o600 });
    const step = `self-signed certificate for ${names[0]}`;
    await ctx.exec(selfSignedArgv(settings.openssl, pair, names), { cwd: settings.tlsDir, step, timeoutMs: 60_000 });
    chmodSync(pair.key, 0o600);
  }
}

export async function installPorter(ctx: InstallContext, info: PorterInstall): Promise<void> {
  const { settings, fresh } = info;
  if (fresh) await checkHosts(ctx, settings);
  for (const dir of layoutDirectories(settings.layout)) mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (info.builtinPages) {
    for (const [file, text] of Object.entries(info.builtinPages)) await write(ctx, fresh, path.join(settings.pages, file), text);
  } else {
    const missing = PAGE_FILES.filter((file) => { try { return !statSync(path.join(settings.pages, file)).isFile(); } catch { return true; } });
    if (missing.length) throw ctx.error('error-pages', `the error-pages directory ${settings.pages} lacks ${missing.join(', ')}`, `it needs ${PAGE_FILES.join(', ')}; remove the option to use the built-in pages.`);
  }
  await write(ctx, fresh, info.settingsFile, `${JSON.stringify(settings, null, 1)}\n`);
  let overlay: Overlay;
  try {
    overlay = readOverlay(settings.overlay);
  } catch (error) {
    throw ctx.error('recipe', (error as Error).message, `it is JSON kept by bin/${path.basename(info.script)}; repair it, or move it aside (its routes are then forgotten).`);
  }
  const routes = effectiveRoutes(settings.routes, overlay, settings.pools);
  await makeSelfSigned(ctx, settings, routes);
  if (fresh) notes(ctx, routes, overlay, settings); // said once per (re)install, not on every no-op run
  const conf = renderNginx(settings, routes);
  if (await write(ctx, fresh, settings.layout.conf, conf)) {
    await checkWithDaemon(ctx, { daemon: 'nginx', file: settings.layout.conf, argv: testCommand(settings.nginx, settings.layout), env: {} }, conf);
  }
  const launcher = [
    '#!/bin/sh',
    `# bin/${path.basename(info.script)}: changes the routes of porter [${settings.name}] (generated by Zetaserver; see docs/porter.md)`,
    'unset NODE_EXTRA_CA_CERTS  # read eagerly by node, never needed here',
    `exec ${shellQuote(process.execPath)} ${shellQuote(info.cli)} ${shellQuote(info.settingsFile)} "$@"`,
    '',
  ].join('\n');
  await write(ctx, fresh, info.script, launcher, 0o755);
  warnUnreadablePages(ctx, settings);
}
