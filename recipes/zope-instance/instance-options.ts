/**
 * The options phase of zope-instance: checks every option, derives the layout of the instance,
 * the view its templates are rendered with, and the program the process manager runs. The Python
 * environment is checked here, at assembly: the interpreter must exist, every egg must be
 * installed for it, and the WSGI application (or Zope) must be importable.
 */
import * as path from 'node:path';
import type { OptionsContext, ProgramSpec } from '../../src/recipe';
import { findBinary } from '../shared/binaries';
import { checkConfigValue, formatAddress, parseAddress, checkUrlPath } from '../shared/checks';
import { checkUser } from '../shared/users';
import { isInside } from '../shared/tree';
import { localUrl, programEnvironment, programTiming } from '../shared/program';
import { debianPackageFor, inspectPython } from './python-env';
import { adapterSetting, environmentVars, parseRelStorage, storageSnippet } from './storage';
import type { InstanceLayout } from './files';

const onOff = (value: boolean): string => (value ? 'on' : 'off');

/** A WSGI application file outside the tree, copied into the part: the bytes read at assembly. */
export interface AppCopy {
  from: string;
  to: string;
  bytes: Buffer;
}

function place(ctx: OptionsContext, option: string, fallback: string): string {
  const value = path.resolve(ctx.paths.directory, ctx.options.get(option)?.trim() || fallback);
  return checkConfigValue(ctx, option, value, /[\s"'%;{}\\<>]/);
}

function logFile(ctx: OptionsContext, option: string, fallback: string): string | undefined {
  const value = ctx.options.get(option)?.trim();
  return value === 'disable' ? undefined : place(ctx, option, fallback);
}

/**
 * `wsgi-app`: a file (`/path/app.py:callable`) or a module (`package.module:callable`). A file
 * outside the tree is served from a copy in the part (`copy`: from, to), so the instance's user
 * reads nothing outside the tree; its contents count as an option (an edit reinstalls the part).
 */
interface WsgiApp {
  target: string;
  module?: string;
  file?: string;
  copy?: AppCopy;
}

function wsgiApp(ctx: OptionsContext, location: string): WsgiApp | undefined {
  const value = ctx.options.get('wsgi-app')?.trim();
  if (!value) return undefined;
  const at = value.lastIndexOf(':');
  const where = value.slice(0, at),
    callable = value.slice(at + 1);
  if (at <= 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(callable))
    throw ctx.error(
      'wsgi-app',
      `option wsgi-app of [${ctx.name}] must be FILE.py:CALLABLE or MODULE:CALLABLE, not ${JSON.stringify(value)}`,
      'for example: wsgi-app = ${buildout:directory}/app/stack_app.py:application',
    );
  if (where.endsWith('.py') || where.includes('/')) {
    const file = checkConfigValue(ctx, 'wsgi-app', path.resolve(ctx.paths.directory, where), /[\s"'%;{}\\<>]/);
    const missing = (): Error => ctx.error('wsgi-app', `the WSGI application file ${file} does not exist`);
    if (isInside(file, ctx.paths.directory)) {
      if (!ctx.stat(file)) throw missing();
      return { target: `${file}:${callable}`, file };
    }
    const app = ctx.readInput(file);
    if (!app) throw missing();
    const to = path.join(location, 'wsgi-app', path.basename(file));
    return { target: `${to}:${callable}`, file: to, copy: { from: file, to, bytes: app.bytes } };
  }
  if (!/^[A-Za-z_][A-Za-z0-9_.]*$/.test(where))
    throw ctx.error('wsgi-app', `${JSON.stringify(where)} is not a Python module name`);
  return { target: `${where}:${callable}`, module: where };
}

function checkPython(
  ctx: OptionsContext,
  python: string,
  eggs: string[],
  paths: string[],
  app: ReturnType<typeof wsgiApp>,
): void {
  const needed = app ? eggs : [...new Set([...eggs, 'Zope'])];
  const report = inspectPython(ctx, python, needed, paths, app?.module);
  if (typeof report === 'string')
    throw ctx.error('python', report, 'name a working interpreter: python = /usr/bin/python3');
  for (const [egg, version] of Object.entries(report.versions)) {
    if (version) {
      ctx.pick(egg, version);
      continue;
    }
    if (egg === 'Zope' && !eggs.includes('Zope')) {
      throw ctx.error(
        'wsgi-app',
        `Zope is not installed for ${python}, and [${ctx.name}] names no wsgi-app to serve instead`,
        'there is no Python package index on this machine: set wsgi-app = FILE.py:CALLABLE (a WSGI application ' +
          'served by waitress), or install Zope for that interpreter.',
      );
    }
    throw ctx.error(
      'eggs',
      `egg ${egg} is not installed for ${python}`,
      `there is no package index here: install the Debian package (apt-get install ${debianPackageFor(egg)}) ` +
        `or remove it from eggs.`,
    );
  }
  if (report.module === false)
    throw ctx.error(
      'wsgi-app',
      `module ${app!.module} cannot be imported by ${python} (extra-paths: ${paths.join(' ') || 'none'})`,
    );
}

export function instanceOptions(ctx: OptionsContext) {
  const location = ctx.paths.part(ctx.name);
  const address = parseAddress(ctx, 'http-address', ctx.options.get('http-address') ?? '127.0.0.1:8080');
  if (ctx.options.has('zserver-threads') && !ctx.options.has('threads'))
    ctx.warn(`[${ctx.name}] zserver-threads is the ZServer name of threads; it is used as threads`);
  const threads = ctx.options.int(ctx.options.has('threads') ? 'threads' : 'zserver-threads', 4, { min: 1, max: 256 });
  const python = findBinary(ctx, ['/usr/bin/python3'], 'python3', 'python');
  const eggs = ctx.options.words('eggs');
  const paths = ctx.options.lines('extra-paths').map((p) => place(ctx, 'extra-paths', p));
  const app = wsgiApp(ctx, location);
  // annotate shows the configuration: the interpreter is asked at plan and install
  if (!ctx.inspecting) checkPython(ctx, python, eggs, paths, app);
  const effectiveUser = checkUser(ctx, 'effective-user');
  const variable = place(ctx, 'var', ctx.paths.variable());
  const clientHome = path.join(variable, ctx.name);
  const health = checkUrlPath(ctx, 'health-check', ctx.options.get('health-check') ?? '/', '/health');
  const layout: InstanceLayout = {
    location,
    clientHome,
    zopeConf: path.join(location, 'etc', 'zope.conf'),
    wsgiIni: path.join(location, 'etc', 'wsgi.ini'),
    siteZcml: path.join(location, 'etc', 'site.zcml'),
    inituser: path.join(location, 'inituser'),
    script: path.join(ctx.paths.bin, ctx.name),
    pidFile: place(ctx, 'pid-file', path.join(clientHome, `${ctx.name}.pid`)),
    eventLog: logFile(ctx, 'event-log', path.join(variable, 'log', `${ctx.name}.log`)),
    accessLog: logFile(ctx, 'access-log', path.join(variable, 'log', `${ctx.name}-access.log`)),
  };
  const relStorage = parseRelStorage(ctx);
  const storage = storageSnippet(ctx, relStorage, variable);
  const blobDirectory = adapterSetting(relStorage, 'blob-dir') ?? ctx.options.get('blob-storage');
  const environment = environmentVars(ctx);
  const timing = programTiming(ctx, { priority: 10, readyTimeoutMs: 30_000, stopTimeoutMs: 10_000 });
  const verbose = ctx.options.bool('verbose-security', false);
  const view = {
    python,
    http_address: formatAddress(address),
    threads,
    clear_untrusted_proxy_headers: String(ctx.options.bool('clear-untrusted-proxy-headers', false)),
    max_request_body_size: ctx.options.int('max-request-body-size', 1 << 30, { min: 1 }),
    wsgi_app: app?.target ?? false,
    wsgi_path: paths.join(':'),
    debug_mode: onOff(ctx.options.bool('debug-mode', false)),
    verbose_security: onOff(verbose),
    security_policy: verbose ? 'python' : 'C',
    encoding: checkConfigValue(
      ctx,
      'default-zpublisher-encoding',
      ctx.options.get('default-zpublisher-encoding')?.trim() || 'utf-8',
    ),
    has_environment: environment.length > 0,
    environment,
    cache_size: ctx.options.int('zodb-cache-size', 30000, { min: 0 }),
    storage,
    check_interval: ctx.options.int('python-check-interval', 1000, { min: 1 }),
    additional: ctx.options.lines('zope-conf-additional'),
    event_log_level: checkConfigValue(
      ctx,
      'event-log-level',
      (ctx.options.get('event-log-level')?.trim() || 'INFO').toUpperCase(),
    ),
    python_literal: JSON.stringify(python),
    effective_user_literal: JSON.stringify(effectiveUser?.name ?? ''),
    environment_literal: JSON.stringify(Object.fromEntries(environment.map((e) => [e.name, e.value]))),
    stop_timeout: timing.stopTimeoutMs / 1000,
  };
  ctx.set('location', location);
  ctx.set('address', formatAddress(address));
  if (!ctx.options.has('threads')) ctx.set('threads', String(threads)); // a value the user set stays as written
  if (!ctx.options.has('health-check')) ctx.set('health-check', health);
  ctx.set('control-script', layout.script);
  ctx.set('zope-conf', layout.zopeConf);
  const dataDirectories = [
    blobDirectory,
    ctx.options.get('file-storage') ? path.dirname(ctx.options.get('file-storage')!) : undefined,
  ]
    .filter((d): d is string => !!d)
    .map((d) => path.resolve(ctx.paths.directory, d));
  const program: ProgramSpec = {
    name: ctx.name,
    type: 'zope',
    command: [layout.script, 'console'],
    directory: location,
    environment: programEnvironment(ctx),
    ...timing,
    user: effectiveUser?.name,
    listen: [address],
    ready: { kind: 'http', url: localUrl(address, health), status: 200 },
    stopSignal: 'SIGTERM',
    configFiles: [layout.zopeConf, layout.wsgiIni, ...(app?.copy ? [app.copy.to] : [])],
    reads: [layout.script, python, location, ...(app?.file ? [app.file] : []), ...paths],
    writes: [
      clientHome,
      layout.pidFile,
      ...[layout.eventLog, layout.accessLog].filter((f): f is string => !!f),
      ...dataDirectories,
    ],
    // WatchedFileHandler (zope-instance-files.ts) reopens a file renamed away at its next record
    logs: { files: [layout.eventLog, layout.accessLog].filter((f): f is string => !!f), reopen: 'watched' },
  };
  return { layout, view, program, dataDirectories, appCopy: app?.copy, effectiveUser };
}
