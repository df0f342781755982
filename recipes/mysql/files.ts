/**
 * The mysql recipe's two generated files: the server config and the init file with the
 * databases and accounts. Rendered in the options phase (so `plan` reports template errors and
 * a changed template or password reinstalls the part). SQL names are checked, passwords escaped.
 */
import { hostname } from 'node:os';
import type { OptionsContext } from '../../src/recipe';
import { loadTemplate } from '../shared/templates';
import { checkName, checkSize, isValidHost } from '../shared/checks';

export interface DatabasePaths {
  home: string;
  datadir: string;
  socket: string;
  pidFile: string;
  tmpdir: string;
  logError: string;
  configFile: string;
  initFile: string;
}

export interface RenderedFiles {
  config: string;
  init: string;
  paths: DatabasePaths;
}

interface Setup extends DatabasePaths {
  flavour: 'mariadb' | 'mysql';
  server: string;
  host: string;
  port: number;
  runAs?: string;
}

/** A string literal for MariaDB's default sql_mode (backslash escapes on). */
function sqlString(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/'/g, "\\'");
}

function accounts(ctx: OptionsContext, databases: string[]) {
  const hosts = ctx.options.words('user-hosts');
  for (const host of hosts)
    if (!isValidHost(host) && host !== '%')
      throw ctx.error(
        'user-hosts',
        `"${host}" is not a host for a database account`,
        'use localhost, 127.0.0.1, an address, or %.',
      );
  return ctx.options.lines('users').flatMap((line) => {
    const [user, password, ...grants] = line.split(/\s+/);
    checkName(ctx, 'users', user, 'zope secret zodb', /^[A-Za-z0-9_.-]{1,80}$/);
    if (password === undefined)
      throw ctx.error(
        'users',
        `the line ${JSON.stringify(line)} of option users has no password`,
        'write NAME PASSWORD [DATABASE...], e.g. zope secret zodb',
      );
    for (const grant of grants)
      if (!databases.includes(grant))
        throw ctx.error(
          'users',
          `user ${user} is granted database ${grant}, which is not in option databases ` +
            `(${databases.join(' ') || 'none'})`,
        );
    return (hosts.length ? hosts : ['localhost', '127.0.0.1']).map((host) => ({
      user,
      host,
      password: sqlString(password),
      grants: grants.length ? grants : databases,
    }));
  });
}

/**
 * The accounts the server keeps: the configured ones, root@localhost (unix_socket: the system's
 * root only) and the server's own system account (the definer of its views, locked). Every
 * other account is dropped at every start: mariadb-install-db --user=U makes U@localhost a
 * passwordless superuser over the socket, and install-db versions add anonymous ones.
 */
function keptAccounts(flavour: Setup['flavour'], configured: Array<{ user: string; host: string }>): string {
  const system = flavour === 'mariadb' ? ['mariadb.sys'] : ['mysql.sys', 'mysql.session', 'mysql.infoschema'];
  const kept = [
    ...configured,
    { user: 'root', host: 'localhost' },
    ...system.map((user) => ({ user, host: 'localhost' })),
  ];
  return [...new Set(kept.map((a) => `('${sqlString(a.user)}', '${sqlString(a.host)}')`))].join(', ');
}

export function renderDatabaseFiles(ctx: OptionsContext, setup: Setup): RenderedFiles {
  const databases = ctx.options.words('databases').map((name) => checkName(ctx, 'databases', name, 'zodb'));
  const charset = checkName(ctx, 'character-set', ctx.options.get('character-set')?.trim() || 'utf8mb4', 'utf8mb4');
  const additional = ctx.options.lines('additional').map((line) => {
    if (!/^[A-Za-z0-9_-]+(\s*=\s*[^\n"'\\;#]+)?$/.test(line))
      throw ctx.error(
        'additional',
        `cannot use ${JSON.stringify(line)} in option additional of [${ctx.name}]`,
        'one "name = value" (or a bare flag such as skip-log-bin) per line.',
      );
    return line;
  });
  const name = hostname();
  const configured = accounts(ctx, databases);
  const view = {
    part: ctx.name,
    group: setup.flavour === 'mariadb' ? 'mariadbd' : 'mysqld',
    server: setup.server,
    config_file: setup.configFile,
    init_file: setup.initFile,
    run_as: setup.runAs ?? false,
    datadir: setup.datadir,
    socket: setup.socket,
    pid_file: setup.pidFile,
    tmpdir: setup.tmpdir,
    log_error: setup.logError,
    port: setup.port,
    bind_address: setup.host,
    max_connections: ctx.options.int('max-connections', 100, { min: 1, max: 100_000 }),
    buffer_pool: checkSize(ctx, 'innodb-buffer-pool-size', ctx.options.get('innodb-buffer-pool-size') ?? '64M'),
    log_file_size: checkSize(ctx, 'innodb-log-file-size', ctx.options.get('innodb-log-file-size') ?? '16M', '16M'),
    charset,
    collation: checkName(
      ctx,
      'collation',
      ctx.options.get('collation')?.trim() || `${charset}_unicode_ci`,
      'utf8mb4_unicode_ci',
    ),
    additional,
    databases: databases.map((db) => ({ name: db })),
    accounts: configured,
    kept_accounts: keptAccounts(setup.flavour, configured),
    user_table: setup.flavour === 'mariadb' ? "mysql.user WHERE is_role = 'N' AND" : 'mysql.user WHERE',
    hostname: isValidHost(name) && name !== 'localhost' ? name : false,
  };
  const config = loadTemplate(ctx, 'template', 'mysql', 'my.cnf');
  const init = loadTemplate(ctx, 'init-template', 'mysql', 'init.sql');
  return {
    config: ctx.render(config.text, view, config.file),
    init: ctx.render(init.text, view, init.file),
    paths: setup,
  };
}
