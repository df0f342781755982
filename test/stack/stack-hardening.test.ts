/**
 * The example stack's defences, against the real daemons (a copy with shifted ports, run by its
 * process manager): a database password full of template syntax reaches every generated file and
 * MariaDB as written; MariaDB keeps only the accounts the deployment configured, at every start;
 * each daemon runs as its own system user and owns its files; the Unix sockets are open to the
 * users that need them only, and the chain still runs through them; HAProxy's stats page takes no
 * admin action unless stats-admin is on, and then none from a foreign origin.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { SupervisedExample } from '../helpers/supervised-example';
import { request } from '../helpers/http-probe';
import { exampleUser, systemUser } from '../helpers/service-users';
import { waitFor } from '../helpers/wait';

// `$${y}` keeps its `$$` (zc.buildout 2.13): the password is exactly this text
const PASSWORD = 'p{{recipe}}{{#x}}$${y}';
const ASSIGNMENT = `passwords:database=${PASSWORD}`;
const HOST = { host: 'localhost' };
const AUTH = `Basic ${Buffer.from('admin:secret').toString('base64')}`;
const INSTANCES = ['instance1', 'instance2', 'instance3', 'instance4'];

let example: SupervisedExample;
const file = (relative: string) => path.join(example.dir, relative);
const url = (p: string) => `http://127.0.0.1:${example.stack.ports.http}${p}`;
const stats = () => `http://127.0.0.1:${example.stack.ports['haproxy-stats']}/`;
const user = (key: string) =>
  exampleUser(example.dir, example.stack.config, key, [...example.stack.overrides, ASSIGNMENT]);

/** SQL as root over the socket (root@localhost: unix_socket authentication). */
function sql(query: string): string {
  const result = spawnSync('mariadb', [`--defaults-file=${file('etc/mysql.cnf')}`, '-uroot', '-N', '-B', '-e', query], {
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout.trim();
}

/** Python as another system user, with pymysql (Debian's /usr/bin/python3). */
function python(code: string, args: string[], as?: string): { status: number | null; stdout: string; stderr: string } {
  const argv = ['/usr/bin/python3', '-c', code, ...args];
  const result = as
    ? spawnSync('setpriv', [`--reuid=${as}`, `--regid=${systemUser(as)!.gid}`, '--init-groups', ...argv], {
        encoding: 'utf8',
        timeout: 30_000,
      })
    : spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 30_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function serverState(name: string): Promise<string> {
  const csv = (await request(`${stats()};csv`, { headers: { authorization: AUTH } })).body;
  const line = csv.split('\n').find((l) => l.startsWith(`zope,${name},`));
  assert.ok(line, csv);
  return line!.split(',')[17];
}

/** Waits until HAProxy's stats show the server in a state matching `wanted`. */
async function waitForState(name: string, wanted: RegExp, timeoutMs = 5000): Promise<void> {
  let state = '';
  await waitFor(async () => wanted.test((state = await serverState(name))), {
    what: `HAProxy to show ${name} ${wanted}`,
    timeoutMs,
    intervalMs: 100,
    detail: () => state,
  });
}

/** A stats-page admin action (as HAProxy's own form posts it), with the given extra headers. */
function adminAction(action: 'maint' | 'ready', headers: Record<string, string>) {
  return request(stats(), {
    method: 'POST',
    body: `s=instance2&action=${action}&b=zope`,
    headers: { authorization: AUTH, 'content-type': 'application/x-www-form-urlencoded', ...headers },
  });
}

before(
  async () => {
    example = await SupervisedExample.assemble(ASSIGNMENT);
    const started = await example.supervisord();
    await example.status().catch(() => undefined);
    assert.equal(started.status, 0, `bin/supervisord failed:\n${started.stderr}`);
  },
  { timeout: 240_000 },
);

after(
  async () => {
    await example?.teardown();
  },
  { timeout: 120_000 },
);

test(
  'a password holding {{...}} and $${...} reaches every generated file as written, and MariaDB ' + 'takes it',
  async () => {
    assert.match(
      readFileSync(file('etc/mysql-init.sql'), 'utf8'),
      /^CREATE USER IF NOT EXISTS 'zope'@'localhost' IDENTIFIED BY 'p\{\{recipe\}\}\{\{#x\}\}\$\$\{y\}';$/m,
    );
    assert.match(
      readFileSync(file('etc/zodbpack.conf'), 'utf8'),
      /^ {8}passwd p\{\{recipe\}\}\{\{#x\}\}\$\$\{y\}$/m,
      'the template recipe renders its text once',
    );
    const reader =
      'import sys, os; os.environ["ZOPE_CONF"] = sys.argv[2]; sys.path.insert(0, sys.argv[1]); import stack_app; ' +
      'print(stack_app.SETTINGS["mysql:passwd"])';
    for (const instance of INSTANCES) {
      const conf = readFileSync(file(`parts/${instance}/etc/zope.conf`), 'utf8');
      // ZConfig reads $$ as $: the adapter's settings are written with $ doubled
      assert.match(conf, /^ {12}passwd p\{\{recipe\}\}\{\{#x\}\}\$\$\$\$\{y\}$/m, instance);
      const app = /^wsgi_app = (.+)\/stack_app\.py:application$/m.exec(
        readFileSync(file(`parts/${instance}/etc/wsgi.ini`), 'utf8'),
      )![1];
      const read = python(reader, [app, file(`parts/${instance}/etc/zope.conf`)]);
      assert.equal(read.status, 0, read.stderr);
      assert.equal(read.stdout, `${PASSWORD}\n`, `${instance}'s application reads the password as written`);
    }
    // the instances log in with what they read from zope.conf: /db through the whole chain
    const db = await request(url('/db'), { headers: HOST });
    assert.equal(db.status, 200, db.body);
    assert.match(db.body, /^counter=\d+ served by instance[1-4]/);
    const login = python(
      'import sys, pymysql; c = pymysql.connect(host="127.0.0.1", port=int(sys.argv[1]), user="zope", ' +
        'password=sys.argv[2], database="zodb"); print(c.cursor().execute("SELECT 1"))',
      [String(example.stack.ports.database), PASSWORD],
    );
    assert.equal(login.status, 0, login.stderr);
  },
);

test('MariaDB keeps only the accounts the deployment configured, dropping others at every start', async () => {
  const accounts = () => sql("SELECT CONCAT(User, '@', Host) FROM mysql.global_priv ORDER BY 1").split('\n');
  const expected = ['mariadb.sys@localhost', 'root@localhost', 'zope@127.0.0.1', 'zope@localhost'];
  assert.deepEqual(
    accounts(),
    expected,
    `mariadb-install-db --user=${user('mysql').name} left no ${user('mysql').name}@localhost superuser`,
  );
  assert.deepEqual(sql("SELECT CONCAT(user, '@', host) FROM mysql.user ORDER BY 1").split('\n'), expected);
  sql(
    "CREATE USER 'intruder'@'localhost' IDENTIFIED VIA unix_socket; GRANT ALL ON *.* TO " +
      "'intruder'@'localhost'; CREATE USER ''@'%'",
  );
  assert.equal(accounts().length, expected.length + 2);
  const restarted = await example.ctl('restart', 'mysql');
  assert.equal(restarted.status, 0, restarted.stderr);
  assert.deepEqual(accounts(), expected, 'the init file dropped them at the start');
  const again = await example.ctl('restart', 'mysql');
  assert.equal(again.status, 0, again.stderr);
  assert.deepEqual(accounts(), expected, 'and again: the clean-up is idempotent');
  // the instances reconnect to the restarted database
  let db = { status: 0, body: '' };
  await waitFor(async () => (db = await request(url('/db'), { headers: HOST })).status === 200, {
    what: '/db to answer 200 after the restarts',
    timeoutMs: 5000,
    intervalMs: 50,
    detail: () => `${db.status} ${db.body}`,
  });
});

test("each daemon runs as its own system user, and its files are that user's", async () => {
  const expected: Record<string, string> = {
    mysql: user('mysql').name,
    memcached: user('memcached').name,
    haproxy: user('haproxy').name,
    varnish: user('varnish').name,
  };
  for (const instance of INSTANCES) expected[instance] = user('zope-process').name;
  const running = await example.status();
  for (const [program, name] of Object.entries(expected)) {
    const pid = running.find((p) => p.name === program)!.pid!;
    assert.equal(
      spawnSync('ps', ['-o', 'user=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim(),
      name,
      program,
    );
  }
  const nginx = running.find((p) => p.name === 'nginx')!.pid!;
  const workers = spawnSync('ps', ['-o', 'user=', '--ppid', String(nginx)], { encoding: 'utf8' })
    .stdout.trim()
    .split('\n');
  assert.ok(
    workers.length > 0 && workers.every((w) => w.trim() === user('nginx').name),
    `nginx's workers: ${workers.join(', ')}`,
  );
  // on a Debian machine with the packages installed, every daemon has a user of its own
  const daemons = ['mysql', 'memcached', 'haproxy', 'varnish', 'nginx'].map((k) => user(k).name);
  if (daemons.every((n) => n !== 'nobody'))
    assert.equal(new Set([...daemons, user('zope-process').name]).size, 6, daemons.join(' '));
  for (const [relative, key] of [
    ['var/mysql/data', 'mysql'],
    ['var/haproxy', 'haproxy'],
    ['var/varnish', 'varnish'],
    ['var/memcached', 'memcached'],
    ['var/instance1', 'zope-process'],
    ['var/blobstorage', 'zope-process'],
    ['etc/varnish.vcl', 'varnish'],
  ] as const) {
    assert.equal(statSync(file(relative)).uid, user(key).uid, relative);
  }
});

test('the Unix sockets are open to the users that need them only, and the chain runs through them', async () => {
  const varnish = user('varnish');
  const nginx = user('nginx');
  const socket = file('var/varnish/socket/varnish.sock');
  const info = statSync(socket);
  assert.ok(info.isSocket());
  assert.equal(info.mode & 0o777, 0o660, 'varnish.sock is 0660');
  assert.deepEqual([info.uid, info.gid], [varnish.uid, nginx.gid], "owned by varnish, group of nginx's workers");
  const dir = statSync(path.dirname(socket));
  assert.equal(dir.mode & 0o7777, 0o2750);
  assert.match(
    readFileSync(file('etc/nginx.conf'), 'utf8'),
    new RegExp(`server unix:${socket.replace(/[/.]/g, '\\$&')}`),
    'nginx proxies through the socket',
  );
  const hit = await request(url('/'), { headers: HOST });
  assert.equal(hit.status, 200);
  assert.ok(hit.headers['x-varnish'], 'through varnish');
  // as nginx's user the socket answers; as another user it cannot even be reached
  const curl = (as: string) =>
    spawnSync(
      'setpriv',
      [
        `--reuid=${as}`,
        `--regid=${systemUser(as)!.gid}`,
        '--init-groups',
        'curl',
        '-s',
        '-o',
        '/dev/null',
        '-w',
        '%{http_code}',
        '--unix-socket',
        socket,
        'http://localhost/_varnish_ping_',
      ],
      { encoding: 'utf8', timeout: 10_000 },
    );
  assert.equal(curl(nginx.name).stdout, '200');
  const stranger = ['nobody', 'www-data', 'memcache'].find(
    (n) => systemUser(n) && n !== nginx.name && n !== varnish.name,
  );
  if (stranger) assert.notEqual(curl(stranger).stdout, '200', `${stranger} cannot use varnish.sock`);

  // MariaDB makes its socket 0777 whatever the umask: its directory keeps the others out
  const mysql = user('mysql');
  const mysqlSocket = file('var/mysql/mysqld.sock');
  assert.ok(statSync(mysqlSocket).isSocket());
  const home = statSync(path.dirname(mysqlSocket));
  assert.equal(home.mode & 0o7777, 0o750, 'var/mysql is 0750');
  assert.deepEqual([home.uid, home.gid], [mysql.uid, mysql.gid]);
  const connect =
    'import socket, sys\ns = socket.socket(socket.AF_UNIX)\ntry:\n    s.connect(sys.argv[1]); ' +
    'print("connected")\nexcept OSError as e:\n    print(e.strerror)';
  assert.equal(python(connect, [mysqlSocket], mysql.name).stdout.trim(), 'connected');
  for (const other of [user('zope-process').name, nginx.name]) {
    if (other !== mysql.name)
      assert.equal(
        python(connect, [mysqlSocket], other).stdout.trim(),
        'Permission denied',
        `${other} cannot reach mysqld.sock`,
      );
  }
  const db = await request(url('/db'), { headers: HOST });
  assert.equal(db.status, 200, db.body);
});

test('HAProxy stats: read only by default; with stats-admin on, admin actions from its own origin only', async () => {
  assert.doesNotMatch(readFileSync(file('etc/haproxy.conf'), 'utf8'), /^\s*stats admin/m);
  await waitForState('instance2', /^UP$/);
  const refused = await adminAction('maint', { origin: `http://127.0.0.1:${example.stack.ports['haproxy-stats']}` });
  assert.equal(refused.status, 403, 'no admin action at all when stats-admin is off');
  assert.equal(await serverState('instance2'), 'UP');

  const assembled = await example.stack.assemble(ASSIGNMENT, 'haproxy:stats-admin=on');
  assert.equal(assembled.status, 0, assembled.stderr);
  assert.match(readFileSync(file('etc/haproxy.conf'), 'utf8'), /^\s*stats admin if stats_own_origin/m);
  const updated = await example.ctl('update');
  assert.equal(updated.status, 0, updated.stderr);
  // a reloaded worker starts with its servers assumed up until their first check
  await waitForState('instance2', /^UP$/);
  const foreign: Array<Record<string, string>> = [
    { origin: 'http://evil.example' },
    { origin: 'null' },
    { referer: 'http://evil.example/page' },
    { referer: `http://127.0.0.1:${example.stack.ports['haproxy-stats']}.evil.example/` },
    {},
  ];
  for (const headers of foreign) {
    const answer = await adminAction('maint', headers);
    assert.equal(answer.status, 403, `refused: ${JSON.stringify(headers)}`);
    assert.equal(await serverState('instance2'), 'UP', `still UP after ${JSON.stringify(headers)}`);
  }
  const own = `http://127.0.0.1:${example.stack.ports['haproxy-stats']}`;
  const done = await adminAction('maint', { origin: own });
  assert.equal(done.status, 303);
  assert.match(String(done.headers.location), /;st=DONE$/);
  assert.equal(await serverState('instance2'), 'MAINT', 'its own page may');
  const back = await adminAction('ready', { referer: `http://localhost:${example.stack.ports['haproxy-stats']}/` });
  assert.equal(back.status, 303, 'a Referer from its own page, without Origin, also may');
  await waitForState('instance2', /^UP/);
});
