/**
 * porter: the front door. One nginx, in front of every site of the deployment (and sites
 * elsewhere), that routes each request by its Host header: domain -> backend, where a backend is
 * a pool (`pools`: the deployment's own, e.g. ${haproxy:address}; `external-pools`: servers
 * outside it) or a host:port. Routes are `http` (passed on untouched) or `zope` (rewritten for
 * Zope's VirtualHostMonster). Unknown domains get a parked page, a down backend its site's
 * friendly error page. bin/NAME (bin/porter) changes routes at run time with a graceful reload;
 * its changes live in var/porter/NAME/routes.json, which re-running bin/assemble keeps. See
 * docs/porter.md.
 *
 * Why a separate nginx rather than the stack's nginx recipe: porter owns the routing table and
 * rewrites its config at run time; the stack's nginx serves one site's chain. The nginx layout
 * and control helpers they share are in programs/nginx/.
 */
import * as path from 'node:path';
import { defineRecipe, type TreePaths } from '../../src/recipe';
import { findBinary } from '../shared/binaries';
import { foregroundCommand, nginxLayout } from '../../programs/nginx/public';
import { installPorter, launcherText } from '../shared/porter-install';
import { readPorterOptions } from './options';
import {
  effectiveRoutes,
  MAINTENANCE_PAGE,
  PAGE_FILES,
  porterProgram,
  readOverlay,
  renderNginx,
  type PorterSettings,
} from '../../programs/porter/public';
import { formatAddress } from '../shared/checks';

function porterCli(paths: TreePaths): string {
  return porterProgram(paths.zetaserver());
}

/**
 * nginx.conf as install will render it: the configured routes joined with the overlay bin/porter
 * keeps at run time. The overlay is read here, not declared an input: bin/porter changes it and
 * rewrites nginx.conf itself, and as an input every such change would reinstall the part. An
 * overlay that cannot be read declares nothing: install reports it, with its hint.
 */
function renderedConf(settings: PorterSettings): string | undefined {
  try {
    return renderNginx(settings, effectiveRoutes(settings.routes, readOverlay(settings.overlay), settings.pools));
  } catch {
    return undefined;
  }
}

export default defineRecipe({
  name: 'porter',
  version: '1.1.0',
  accepts: [
    'listen',
    'listen-https',
    'hsts',
    'openssl',
    'pools',
    'external-pools',
    'routes',
    'developer-domain',
    'developer-allow',
    'connect-timeout',
    'read-timeout',
    'syslog',
    'syslog-facility',
    'syslog-tag',
    'error-pages',
    'workers',
    'user',
    'executable',
    'script',
  ],
  options(ctx) {
    const nginx = findBinary(ctx, ['nginx'], 'nginx');
    const config = readPorterOptions(ctx);
    const location = ctx.paths.part(ctx.name);
    const prefix = ctx.paths.variable('porter', ctx.name);
    const layout = nginxLayout(prefix, path.join(location, 'nginx.conf'));
    const pagesOption = ctx.options.get('error-pages')?.trim();
    const pages = pagesOption ? path.resolve(ctx.paths.directory, pagesOption) : path.join(location, 'pages');
    if (/[$"\n]/.test(pages))
      throw ctx.error(
        'error-pages',
        `the error-pages path ${JSON.stringify(pages)} holds "$", a quote or a newline, which nginx cannot take`,
      );
    const scriptName = ctx.options.get('script')?.trim() || ctx.name;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(scriptName))
      throw ctx.error('script', `script name "${scriptName}" must be a plain file name`);
    const settings: PorterSettings = {
      format: 1,
      name: ctx.name,
      nginx,
      layout,
      pages,
      accessLog: path.join(prefix, 'log', 'access.log'),
      overlay: path.join(prefix, 'routes.json'),
      tlsDir: path.join(prefix, 'tls'),
      ...(config.https?.length ? { openssl: findBinary(ctx, ['openssl'], 'openssl', 'openssl') } : {}),
      lock: path.join(prefix, 'routes.lock'),
      maintenancePage: path.join(location, 'maintenance.html'),
      ...config,
    };
    // the workers read the pages: as `user`, or as nginx's build default when a root master has none
    const pageReader = config.user ?? (process.getuid?.() === 0 ? 'nobody' : undefined);
    if (pageReader) settings.pageReader = pageReader;
    const script = path.join(ctx.paths.bin, scriptName);
    // the built-in pages are files in templates/porter/, read as inputs: editing one reinstalls the part
    const builtinPages = pagesOption
      ? undefined
      : Object.fromEntries(
          PAGE_FILES.map((file) => {
            const page = ctx.readInput(ctx.paths.templates('porter', file));
            if (!page)
              throw ctx.error(
                'error-pages',
                `Zetaserver's built-in page templates/porter/${file} is missing`,
                'reinstall Zetaserver, or set error-pages to a directory of your own.',
              );
            return [file, page.text];
          }),
        );
    const maintenance = ctx.readInput(ctx.paths.templates('porter', MAINTENANCE_PAGE));
    if (!maintenance)
      throw ctx.error('recipe', `Zetaserver's built-in page templates/porter/${MAINTENANCE_PAGE} is missing`);
    const prepared = {
      settings,
      settingsFile: path.join(location, 'porter.json'),
      script,
      builtinPages,
      maintenancePage: maintenance.text,
    };
    const first = config.listen[0];
    ctx.set('location', location);
    ctx.set('address', formatAddress(first));
    ctx.set('conf', layout.conf);
    ctx.set('access-log', settings.accessLog);
    ctx.set('error-log', layout.errorLog);
    ctx.set('routes-file', settings.overlay);
    if (!ctx.options.has('script')) ctx.set('script', script); // a name the user set stays as written
    const probeHost = first.host === '0.0.0.0' ? '127.0.0.1' : first.host === '::' ? '::1' : first.host;
    ctx.declareProgram({
      name: ctx.name,
      type: 'nginx',
      command: foregroundCommand(nginx, layout),
      priority: 90, // the front door opens last, once the chain behind it answers
      listen: [...config.listen, ...(config.https ?? [])],
      // only the deployment's own pools are checked at assembly; external ones live elsewhere
      upstream: config.pools.filter((pool) => !pool.external).flatMap((pool) => pool.addresses),
      ready: { kind: 'tcp', host: probeHost, port: first.port },
      readyTimeoutMs: 10_000,
      stopSignal: 'SIGQUIT', // graceful: workers finish the requests they hold
      stopTimeoutMs: 15_000,
      reload: { signal: 'SIGHUP' },
      ownProcessGroup: true,
      configFiles: [layout.conf],
      logs: { files: [layout.errorLog, settings.accessLog], reopen: 'signal', signal: 'SIGUSR1' },
      // the workers serve the error pages and fill the temp paths: as `user`, or as nginx's
      // build default when a root master has none
      accessUser: pageReader,
      reads: [pages, settings.maintenancePage!],
      writes: [layout.tempDir],
    });
    const conf = renderedConf(settings);
    if (conf !== undefined) ctx.output(layout.conf, conf, { mode: 0o644 });
    for (const [file, text] of Object.entries(builtinPages ?? {}))
      ctx.output(path.join(pages, file), text, { mode: 0o644 });
    ctx.output(settings.maintenancePage!, maintenance.text, { mode: 0o644 });
    ctx.output(prepared.settingsFile, `${JSON.stringify(settings, null, 1)}\n`, { mode: 0o644 });
    ctx.output(script, launcherText(script, ctx.name, porterCli(ctx.paths), prepared.settingsFile), { mode: 0o755 });
    return prepared;
  },
  async install(ctx, prepared) {
    await installPorter(ctx, { ...prepared, cli: porterCli(ctx.paths), fresh: true });
  },
  async update(ctx, prepared) {
    await installPorter(ctx, { ...prepared, cli: porterCli(ctx.paths), fresh: false });
  },
});
