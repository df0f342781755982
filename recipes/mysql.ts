/**
 * mysql: a MariaDB (or MySQL) server of the deployment's own, with its datadir, socket, pid file,
 * port and config inside the tree, so it never meets the system's server.
 *
 * At install: the run, data and tmp folders (not recorded: a reinstall keeps the data), the
 * config (`etc/<part>.cnf`, 0600) and the init file (`etc/<part>-init.sql`, 0600: it holds the
 * passwords), and, when the datadir is empty, its initialisation (mariadb-install-db). The server
 * runs the init file at every start (`init-file`): CREATE ... IF NOT EXISTS and ALTER USER, so the
 * configured databases and users exist, with their current passwords, whenever it is up.
 * Stopped with SIGTERM (a clean shutdown; never SIGINT).
 *
 * Options: `port` (3306), `bind-address` (127.0.0.1), `datadir`, `socket`, `pid-file`,
 * `databases` (names), `users` (lines `NAME PASSWORD [DATABASE...]`; all databases when none are
 * named), `user-hosts` (localhost 127.0.0.1: socket and TCP are different hosts to MariaDB),
 * `user` (system user), `max-connections` (100), `innodb-buffer-pool-size` (64M),
 * `innodb-log-file-size` (16M), `character-set` (utf8mb4), `collation`, `additional` (more
 * `name = value` lines), `template`, `init-template`, `executable`, `install-db`, `environment`,
 * `priority` (0), `ready-timeout`, `stop-timeout`.
 * Derived: `address`, `socket`, `datadir`, `config-file`, `port`.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { defineRecipe, type InstallContext } from '../src/recipe';
import { SERVICE_OPTIONS } from './lib/option-names';
import { findDaemon } from './lib/daemon';
import { findBinary } from './lib/binaries';
import { checkHost, checkPort, checkConfigValue } from './lib/values';
import { checkUser, isRoot, userOf } from './lib/users';
import { connectHost, programEnvironment, programTiming } from './lib/program';
import { ensureDirectory, ensureFile, writeOwnedFile } from './lib/tree';
import { renderDatabaseFiles, type RenderedFiles } from './lib/mysql-files';

const rendered = new Map<string, RenderedFiles>();

export default defineRecipe({
  name: 'mysql',
  version: '1.0.0',
  accepts: [...SERVICE_OPTIONS, 'port', 'bind-address', 'datadir', 'socket', 'pid-file', 'databases', 'users', 'user-hosts',
    'max-connections', 'innodb-buffer-pool-size', 'innodb-log-file-size', 'character-set', 'collation', 'additional', 'install-db', 'init-template'],
  options(ctx) {
    const server = findDaemon(ctx, {
      names: ['mariadbd', 'mysqld'], debianPackage: 'mariadb-server', software: 'mariadb',
      versionArgs: ['--version'], versionPattern: /Ver (\d+\.\d+\.\d+)/,
    });
    const flavour = /MySQL/.test(server.banner) && !/MariaDB/.test(server.banner) ? 'mysql' : 'mariadb';
    const installDb = flavour === 'mariadb'
      ? findBinary(ctx, ['mariadb-install-db', 'mysql_install_db'], 'mariadb-server', 'install-db')
      : server.path;
    const host = checkHost(ctx, 'bind-address', ctx.options.get('bind-address')?.trim() || '127.0.0.1');
    const port = checkPort(ctx, 'port', ctx.options.get('port') ?? '3306');
    const user = checkUser(ctx);
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
    rendered.set(ctx.name, renderDatabaseFiles(ctx, { flavour, server: server.path, host, port, runAs, ...files }));
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
    });
  },
  async install(ctx) {
    const files = rendered.get(ctx.name)!;
    const owner = userOf(ctx.options);
    const { datadir } = files.paths; // absolute, where the options may hold relative paths
    for (const dir of [files.paths.home, datadir, files.paths.tmpdir, path.dirname(files.paths.socket), path.dirname(files.paths.pidFile)]) {
      ensureDirectory(dir, owner, dir === datadir ? 0o750 : 0o755);
    }
    ensureFile(ctx.options.required('log-error'), owner);
    await writeOwnedFile(ctx, files.paths.configFile, files.config, 0o600, owner);
    await writeOwnedFile(ctx, files.paths.initFile, files.init, 0o600, owner);
    if (existsSync(path.join(datadir, 'mysql'))) {
      ctx.log.detail(`datadir ${datadir} is initialised already; keeping it`);
      return;
    }
    await initialiseDatadir(ctx, files.paths.configFile, owner?.name ?? (isRoot() ? 'root' : undefined));
  },
  async update(ctx) {
    const owner = userOf(ctx.options);
    const { datadir } = rendered.get(ctx.name)!.paths;
    ensureDirectory(datadir, owner, 0o750);
    ensureFile(ctx.options.required('log-error'), owner);
    if (!existsSync(path.join(datadir, 'mysql'))) {
      await initialiseDatadir(ctx, ctx.options.required('config-file'), owner?.name ?? (isRoot() ? 'root' : undefined));
    }
  },
});

/** mariadb-install-db (or mysqld --initialize-insecure) into the configured datadir. */
async function initialiseDatadir(ctx: InstallContext, configFile: string, runAs: string | undefined): Promise<void> {
  const command = ctx.options.required('install-db-command');
  const userArgs = runAs && isRoot() ? [`--user=${runAs}`] : [];
  const argv = ctx.options.get('flavour') === 'mysql'
    ? [command, `--defaults-file=${configFile}`, '--initialize-insecure', ...userArgs]
    // root@localhost keeps unix_socket authentication: only the system's root logs in as root
    : [command, `--defaults-file=${configFile}`, '--skip-test-db', '--auth-root-authentication-method=socket', ...userArgs];
  await ctx.exec(argv, {
    cwd: ctx.paths.directory, step: 'initialising the datadir',
    logFile: path.join(ctx.paths.variable('log'), `${ctx.name}-install-db.log`), timeoutMs: 300_000,
  });
}
