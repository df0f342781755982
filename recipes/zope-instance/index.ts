/**
 * zope-instance (alias plone.recipe.zope2instance): a Zope 5 WSGI instance home as
 * plone.recipe.zope2instance 6 writes it — parts/<part>/etc/zope.conf (storage: RelStorage from
 * `rel-storage`, or FileStorage), etc/wsgi.ini, etc/site.zcml, inituser — plus var/<part>/ (client
 * home, pid file), var/log/<part>.log and -access.log, and bin/<part> (fg, console, start, stop,
 * restart, status). Declares the program `bin/<part> console`.
 *
 * Zope cannot be installed on these machines (no package index), so `wsgi-app` names any WSGI
 * application (`/path/app.py:callable` or `module:callable`) the instance serves with waitress
 * (a file outside the tree from a copy in parts/<part>/wsgi-app/); without it the instance runs
 * Zope's own runner, which this repository cannot verify.
 *
 * Options: `http-address` (127.0.0.1:8080), `threads` (4; `zserver-threads` accepted), `python`
 * (/usr/bin/python3 — not the `python3` on PATH), `eggs` (distributions that must be installed
 * for that interpreter: checked at assembly), `extra-paths`, `wsgi-app`, `user` (NAME:PASSWORD, the
 * initial Zope manager), `effective-user` (system user it runs as), `rel-storage`, `file-storage`,
 * `blob-storage`, `shared-blob` (inert with RelStorage, as in the original), `zodb-cache-size`
 * (30000), `debug-mode`, `verbose-security`, `default-zpublisher-encoding`, `environment-vars`,
 * `zope-conf-additional`, `python-check-interval`, `var`, `pid-file`, `event-log`, `access-log`
 * (a path or `disable`), `event-log-level`, `http-fast-listen`, `clear-untrusted-proxy-headers`,
 * `max-request-body-size`, `health-check` (the URL path for readiness and haproxy's checks, /),
 * the `*-template` options, `environment`, `priority` (10), `ready-timeout`, `stop-timeout`.
 * Derived: `location`, `address`, `threads`, `health-check`, `control-script`, `zope-conf`.
 */
import { defineRecipe } from '../../src/recipe';
import { EGG_OPTIONS } from '../shared/option-names';
import type { SystemUser } from '../shared/users';
import { ensureDirectory, ensureFile, writeOwnedFile } from '../shared/tree';
import { renderInstanceFiles, type InstanceFiles, type InstanceLayout } from './files';
import { instanceOptions, type AppCopy } from './instance-options';

/** What the options phase works out for install and update. */
interface Prepared {
  layout: InstanceLayout;
  /** Absent when inspecting (annotate shows the options; it renders no file). */
  files?: InstanceFiles;
  dataDirectories: string[];
  appCopy?: AppCopy;
  /** `effective-user`: the instance runs as it and owns its data. */
  owner?: SystemUser;
}

/** This recipe's options (the header above), then plone.recipe.zope2instance 6's that real buildouts carry. */
const ACCEPTS = [
  'http-address',
  'threads',
  'zserver-threads',
  'python',
  'wsgi-app',
  'user',
  'effective-user',
  'rel-storage',
  'file-storage',
  'blob-storage',
  'shared-blob',
  'zodb-cache-size',
  'debug-mode',
  'verbose-security',
  'default-zpublisher-encoding',
  'environment-vars',
  'zope-conf-additional',
  'python-check-interval',
  'var',
  'pid-file',
  'event-log',
  'access-log',
  'event-log-level',
  'http-fast-listen',
  'clear-untrusted-proxy-headers',
  'max-request-body-size',
  'health-check',
  'zope-conf-template',
  'wsgi-ini-template',
  'site-zcml-template',
  'script-template',
  'environment',
  'priority',
  'ready-timeout',
  'stop-timeout',
  'check-upstream',
  ...EGG_OPTIONS,
  // accepted without effect here (Zope's runner, ZEO, ZServer and logging details; see docs/stack.md)
  'zcml',
  'zcml-additional',
  'products',
  'resources',
  'locales',
  'site-zcml',
  'zope2-location',
  'ip-address',
  'port-base',
  'webdav-address',
  'webdav-force-connection-close',
  'ftp-address',
  'icp-address',
  'http-force-connection-close',
  'http-header-max-length',
  'asyncore-use-poll',
  'wsgi',
  'wsgi-logging-ini-template',
  'pipeline',
  'client-home',
  'import-directory',
  'initialization',
  'debug-exceptions',
  'deprecation-warnings',
  'enable-product-installation',
  'template-cache',
  'read-only',
  'before-storage',
  'storage-wrapper',
  'demo-storage',
  'demo-file-storage',
  'demo-blob-storage',
  'zlib-storage',
  'zodb-cache-size-bytes',
  'zodb-temporary-storage',
  'zope-conf-imports',
  'zopectl-umask',
  'lock-file',
  'min-disconnect-poll',
  'max-disconnect-poll',
  'mailinglogger',
  'z2-log',
  'z2-log-level',
  'event-log-*',
  'access-log-*',
  'zeo-*',
  'sentry_*',
  'profile',
  'profile_*',
];

export default defineRecipe({
  name: 'zope-instance',
  version: '1.0.0',
  accepts: ACCEPTS,
  options(ctx): Prepared {
    const { layout, view, program, dataDirectories, appCopy, effectiveUser } = instanceOptions(ctx);
    ctx.declareProgram(program);
    const files = ctx.inspecting ? undefined : renderInstanceFiles(ctx, layout, view);
    if (files) {
      ctx.output(layout.zopeConf, files.zopeConf, { mode: 0o600 });
      ctx.output(layout.wsgiIni, files.wsgiIni, { mode: 0o644 });
      ctx.output(layout.siteZcml, files.siteZcml, { mode: 0o644 });
      if (files.inituser) ctx.output(layout.inituser, files.inituser, { mode: 0o600 });
      ctx.output(layout.script, files.script, { mode: 0o755 });
    }
    return { layout, files, dataDirectories, appCopy, owner: effectiveUser };
  },
  async install(ctx, prepared) {
    const { layout, appCopy, owner } = prepared;
    const files = prepared.files!; // rendered: install follows a full options phase
    await ctx.mkdir(layout.location);
    prepareDataPlaces(prepared);
    await writeOwnedFile(ctx, layout.zopeConf, files.zopeConf, 0o600, owner);
    await ctx.writeFile(layout.wsgiIni, files.wsgiIni, { mode: 0o644 });
    await ctx.writeFile(layout.siteZcml, files.siteZcml, { mode: 0o644 });
    await ctx.mkdir(`${layout.location}/etc/package-includes`);
    if (files.inituser) await writeOwnedFile(ctx, layout.inituser, files.inituser, 0o600, owner);
    await ctx.writeFile(layout.script, files.script, { mode: 0o755 });
    if (appCopy) await ctx.writeFile(appCopy.to, appCopy.bytes, { mode: 0o644 });
  },
  async update(_ctx, prepared) {
    prepareDataPlaces(prepared);
  },
});

/** Client home, log files, blob and file storage folders: the instance's user writes there. */
function prepareDataPlaces({ layout, dataDirectories, owner }: Prepared): void {
  for (const dir of [layout.clientHome, ...dataDirectories]) ensureDirectory(dir, owner, 0o750);
  for (const log of [layout.eventLog, layout.accessLog]) if (log) ensureFile(log, owner);
}
