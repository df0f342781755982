/**
 * mysql: a MariaDB (or MySQL) server of the deployment's own, with its datadir, socket, pid file,
 * port and config inside the tree, so it never meets the system's server.
 *
 * At install: the run, data and tmp folders (not recorded: a reinstall keeps the data), the
 * config (`etc/<part>.cnf`, 0600) and the init file (`etc/<part>-init.sql`, 0600: it holds the
 * passwords), and, when the datadir is empty, its initialisation (mariadb-install-db). The server
 * runs the init file at every start (`init-file`): CREATE ... IF NOT EXISTS and ALTER USER, so the
 * configured databases and users exist, with their current passwords, whenever it is up, and
 * drops every other account (mariadb-install-db's passwordless `--user` superuser among them).
 * Stopped with SIGTERM (a clean shutdown; never SIGINT).
 *
 * Options: `port` (3306), `bind-address` (127.0.0.1), `datadir`, `socket`, `pid-file`,
 * `databases` (names), `users` (lines `NAME PASSWORD [DATABASE...]`; all databases when none are
 * named), `user-hosts` (localhost 127.0.0.1: socket and TCP are different hosts to MariaDB),
 * `user` (system user; several names: the first that exists), `socket-client` (a user whose
 * group may use the socket; otherwise only `user` and root), `max-connections` (100), `innodb-buffer-pool-size` (64M),
 * `innodb-log-file-size` (16M), `character-set` (utf8mb4), `collation`, `additional` (more
 * `name = value` lines), `template`, `init-template`, `executable`, `install-db`, `environment`,
 * `priority` (0), `ready-timeout`, `stop-timeout`.
 * Derived: `address`, `socket`, `datadir`, `config-file`, `port`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { defineRecipe, type InstallContext } from '../../src/recipe';
import { SERVICE_OPTIONS } from '../shared/option-names';
import { findDaemon } from '../shared/daemon';
import { findBinary, SYSTEM_DIRS } from '../shared/binaries';
import { checkHost, checkPort, checkConfigValue } from '../shared/checks';
import { checkUser, isRoot, type SystemUser } from '../shared/users';
import { connectHost, programEnvironment, programTiming } from '../shared/program';
import { ensureDirectory, ensureFile, isTreePlace, writeOwnedFile } from '../shared/tree';
import { renderDatabaseFiles, type RenderedFiles } from './files';

/** What the options phase works out for install and update. */
interface Prepared {
  files: RenderedFiles;
  flavour: 'mariadb' | 'mysql';
  installDb: string;
  user?: SystemUser;
  /** `socket-client`'s user: its group may use the socket. */
  client?: SystemUser;
}

export default defineRecipe({
  name: 'mysql',
  version: '1.0.0',
  accepts: [
    ...SERVICE_OPTIONS,
    'port',
    'bind-address',
    'datadir',
    'socket',
    'pid-file',
    'databases',
    'users',
    'user-hosts',
    'max-connections',
    'innodb-buffer-pool-size',
    'innodb-log-file-size',
    'character-set',
    'collation',
    'additional',
    'install-db',
    'init-template',
    'socket-client',
  ],
  options(ctx): Prepared {
    const server = findDaemon(ctx, {
      names: ['mariadbd', 'mysqld'],
      debianPackage: 'mariadb-server',
      software: 'mariadb',
      versionArgs: ['--version'],
      versionPattern: /Ver (\d+\.\d+\.\d+)/,
    });
    const flavour = /MySQL/.test(server.banner) && !/MariaDB/.test(server.banner) ? 'mysql' : 'mariadb';
    const installDb =
      flavour === 'mariadb'
        ? findBinary(ctx, ['mariadb-install-db', 'mysql_install_db'], 'mariadb-server', 'install-db')
        : server.path;
    const host = checkHost(ctx, 'bind-address', ctx.options.get('bind-address')?.trim() || '127.0.0.1');
    const port = checkPort(ctx, 'port', ctx.options.get('port') ?? '3306');
    const user = checkUser(ctx);
    const client = checkUser(ctx, 'socket-client');
    const home = ctx.paths.variable(ctx.name);
    const place = (option: string, fallback: string): string => {
      const value = path.resolve(ctx.paths.directory, ctx.options.get(option)?.trim() || fallback);
      checkConfigValue(ctx, option, value, /[\s"';{}\\#]/);
      if (!ctx.options.has(option)) ctx.set(option, value); // a value the user set stays as written
      return value;
    };
    const files = {
      home,
      datadir: place('datadir', path.join(home, 'data')),
      socket: place('socket', path.join(home, 'mysqld.sock')),
      pidFile: place('pid-file', path.join(home, 'mysqld.pid')),
      tmpdir: path.join(home, 'tmp'),
      logError: path.join(ctx.paths.variable('log'), `${ctx.name}.err`),
      configFile: ctx.paths.etc(`${ctx.name}.cnf`),
      initFile: ctx.paths.etc(`${ctx.name}-init.sql`),
    };
    // started as root the server needs user=; unprivileged it runs as whoever starts it
    const runAs = user?.name ?? (isRoot() ? 'root' : undefined);
    const reloadClient = isRoot()
      ? ['mariadb', 'mysql'].map((name) => ctx.which(name, SYSTEM_DIRS)).find(Boolean)
      : undefined;
    const rendered = renderDatabaseFiles(ctx, { flavour, server: server.path, host, port, runAs, ...files });
    ctx.output(files.configFile, rendered.config, { mode: 0o600 });
    ctx.output(rendered.paths.initFile, rendered.init, { mode: 0o600 });
    ctx.set('config-file', files.configFile);
    ctx.set('address', `${host}:${port}`);
    ctx.set('flavour', flavour);
    ctx.set('install-db-command', installDb);
    ctx.set('log-error', files.logError);
    ctx.declareProgram({
      name: ctx.name,
      type: flavour,
      command: [server.path, `--defaults-file=${files.configFile}`],
      directory: home,
      environment: programEnvironment(ctx),
      ...programTiming(ctx, { priority: 0, readyTimeoutMs: 60_000, stopTimeoutMs: 60_000 }),
      user: user?.name,
      listen: [{ host, port }],
      // the port opens after the init file has run: ready means the users exist
      ready: { kind: 'tcp', host: connectHost(host), port },
      stopSignal: 'SIGTERM',
      configFiles: [files.configFile, files.initFile],
      // the accounts and grants (a node added to a nodeset) apply online: the init file through
      // the client, as root over the socket (root@localhost is kept for that); a change to the
      // server's own settings still restarts it
      ...(reloadClient
        ? {
            reload: {
              command: [
                reloadClient,
                '--no-defaults',
                `--socket=${files.socket}`,
                '-u',
                'root',
                '-e',
                `source ${files.initFile}`,
              ],
              files: [files.initFile],
            },
          }
        : {}),
      // SIGHUP reopens the error log (and slow/general logs set through `additional`); it also
      // flushes tables and privileges and writes a status block into the old file
      logs: {
        files: [files.logError, ...ownLogFiles(ctx.options.lines('additional'), files.datadir)],
        reopen: 'signal',
        signal: 'SIGHUP',
      },
      reads: [files.configFile, files.initFile],
      writes: [files.datadir, files.socket, files.pidFile, files.tmpdir, files.logError],
    });
    return { files: rendered, flavour, installDb, user, client };
  },
  async install(ctx, prepared) {
    const { files, user } = prepared;
    const { datadir } = files.paths; // absolute, where the options may hold relative paths
    prepareDirectories(ctx, prepared);
    ensureFile(files.paths.logError, user);
    await writeOwnedFile(ctx, files.paths.configFile, files.config, 0o600, user);
    await writeOwnedFile(ctx, files.paths.initFile, files.init, 0o600, user);
    if (existsSync(path.join(datadir, 'mysql'))) {
      ctx.log.detail(`datadir ${datadir} is initialised already; keeping it`);
      return;
    }
    await initialiseDatadir(ctx, prepared);
  },
  async update(ctx, prepared) {
    prepareDirectories(ctx, prepared);
    ensureFile(prepared.files.paths.logError, prepared.user);
    if (!existsSync(path.join(prepared.files.paths.datadir, 'mysql'))) await initialiseDatadir(ctx, prepared);
  },
});

/**
 * The server's directories, its user's. The socket's directory is 0750: MariaDB makes its socket
 * 0777 whatever the umask (it clears it before bind), so the directory is what keeps other local
 * users (and a passwordless account they could log in as) away; `socket-client` names the one
 * user whose group may come in too. A socket or pid directory outside the tree that exists
 * already (/run/mysqld) is the system's: it is left as it is.
 */
function prepareDirectories(ctx: InstallContext, { files, user, client }: Prepared): void {
  const { home, datadir, tmpdir, socket, pidFile } = files.paths; // absolute, unlike a relative option
  const socketDir = path.dirname(socket);
  for (const dir of [...new Set([home, datadir, tmpdir, socketDir, path.dirname(pidFile)])]) {
    const ours = dir === home || dir === datadir || dir === tmpdir || isTreePlace(dir, ctx.paths) || !existsSync(dir);
    if (!ours) continue;
    if (dir === socketDir) ensureDirectory(dir, user, 0o750, { gid: client?.gid });
    else ensureDirectory(dir, user, dir === datadir ? 0o750 : 0o755);
  }
}

/** mariadb-install-db (or mysqld --initialize-insecure) into the configured datadir. */
async function initialiseDatadir(ctx: InstallContext, { files, flavour, installDb, user }: Prepared): Promise<void> {
  const runAs = user?.name ?? (isRoot() ? 'root' : undefined);
  const userArgs = runAs && isRoot() ? [`--user=${runAs}`] : [];
  const configFile = files.paths.configFile;
  const argv =
    flavour === 'mysql'
      ? [installDb, `--defaults-file=${configFile}`, '--initialize-insecure', ...userArgs]
      : // root@localhost keeps unix_socket authentication: only the system's root logs in as root
        [
          installDb,
          `--defaults-file=${configFile}`,
          '--skip-test-db',
          '--auth-root-authentication-method=socket',
          ...userArgs,
        ];
  await ctx.exec(argv, {
    cwd: ctx.paths.directory,
    step: 'initialising the datadir',
    logFile: path.join(ctx.paths.variable('log'), `${ctx.name}-install-db.log`),
    timeoutMs: 300_000,
  });
}

/** The slow and general query logs an `additional` line names (relative to the datadir, as the server reads them). */
function ownLogFiles(lines: string[], datadir: string): string[] {
  return lines
    .map((line) => /^(?:slow[-_]query|general)[-_]log[-_]file\s*=\s*(\S+)$/.exec(line)?.[1])
    .filter((f): f is string => !!f)
    .map((f) => path.resolve(datadir, f));
}
