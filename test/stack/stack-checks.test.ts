/**
 * What the assembler checks before anything runs, on the example deployment (`plan`, so nothing
 * is made): values that would break a generated config, each hop's upstream, address clashes,
 * ports in range, missing binaries, users and eggs. Every error names the part and the option.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { exampleDeployment, type ExampleDeployment } from '../helpers/example-deployment';
import { withDeployment } from '../helpers/deployment';
import { freePort } from '../helpers/ports';
import { assembleAsync } from '../helpers/run';
import { ROOT } from '../helpers/paths';

let stack: ExampleDeployment;

before(async () => {
  stack = await exampleDeployment('zeta-stack-checks-');
});

after(() => stack?.cleanup());

async function planFails(args: string[], code: string, message: RegExp, where: RegExp): Promise<string> {
  const result = await stack.assemble(...args, 'plan');
  assert.equal(result.status, 2, `expected an error, got status ${result.status}:\n${result.stdout}${result.stderr}`);
  assert.match(result.stderr, new RegExp(`error\\[${code}\\]`));
  assert.match(result.stderr, message);
  assert.match(result.stderr, where);
  return result.stderr;
}

test('the example deployment plans cleanly with shifted ports', async () => {
  const result = await stack.assemble('plan');
  assert.equal(result.status, 0, result.stderr);
  for (const part of ['memcached', 'mysql', 'instance1', 'instance4', 'haproxy', 'varnish', 'nginx'])
    assert.match(result.stdout, new RegExp(`install\\s+${part}\\s`));
  assert.doesNotMatch(result.stderr, /warning/i, 'no warnings');
});

test('a host name with a quote is rejected at the option that uses it', async () => {
  await planFails(
    ['hosts:varnish=127.0.0.1"'],
    'BAD_OPTION',
    /"127\.0\.0\.1"" is not a host name or IP address \(option bind of \[varnish\]\)/,
    /\[varnish\] bind/,
  );
});

test('a host name with a newline is rejected', async () => {
  // a continuation line: the value of [hosts] varnish becomes "127.0.0.1\nevil.example.com"
  writeFileSync(
    path.join(stack.dir, 'newline.cfg'),
    '[buildout]\nextends = deployment.cfg\n[hosts]\nvarnish = 127.0.0.1\n    evil.example.com\n',
  );
  const result = await assembleAsync(['-c', 'newline.cfg', ...stack.overrides, 'plan'], { cwd: stack.dir });
  assert.equal(result.status, 2, result.stderr);
  assert.match(result.stderr, /error\[BAD_OPTION\]/);
  assert.match(result.stderr, /is not a host name or IP address \(option bind of \[varnish\]\)/);
  assert.match(result.stderr, /\[varnish\] bind/);
});

test('a semicolon or a brace in a value that goes into a config is rejected', async () => {
  await planFails(
    ['sites:main=Plone;evil'],
    'BAD_OPTION',
    /vhm-site of \[nginx\] is not a Zope path/,
    /\[nginx\] vhm-site/,
  );
  await planFails(
    ['databases:zodb=zodb}'],
    'BAD_OPTION',
    /option databases of \[mysql\] is not a name/,
    /\[mysql\] databases/,
  );
  await planFails(
    ['passwords:haproxy-admin=se cret'],
    'BAD_OPTION',
    /option stats-password of \[haproxy\] cannot be used in the generated configuration/,
    /\[haproxy\] stats-password/,
  );
  await planFails(
    ['hosts:allow-purge=10.0.0.0/99'],
    'BAD_OPTION',
    /"10\.0\.0\.0\/99" in option allow-purge of \[varnish\] is not a host, an address or a network/,
    /\[varnish\] allow-purge/,
  );
});

test('an upstream that no program listens on is refused, with the nearest listener suggested', async () => {
  const stray = await freePort();
  // over TCP, the engine's check of each hop
  await planFails(
    ['nginx:backend-socket=', `ports:nginx-backend=${stray}`],
    'UPSTREAM_MISMATCH',
    new RegExp(`program "nginx" forwards to 127\\.0\\.0\\.1:${stray}, but no program of this deployment listens there`),
    new RegExp(`hint: did you mean .*127\\.0\\.0\\.1:${stack.ports.varnish} \\(varnish\\)`),
  );
  await planFails(
    [`ports:varnish-backend=${stray}`],
    'UPSTREAM_MISMATCH',
    new RegExp(`program "varnish" forwards to 127\\.0\\.0\\.1:${stray}`),
    new RegExp(`127\\.0\\.0\\.1:${stack.ports.haproxy} \\(haproxy\\)`),
  );
  // through varnish's socket, the nginx recipe's own check that the socket is the backend's
  await planFails(
    [`ports:nginx-backend=${stray}`],
    'BAD_OPTION',
    new RegExp(
      `backend-socket \\S+varnish\\.sock belongs to \\[varnish\\], which listens at ` +
        `127\\.0\\.0\\.1:${stack.ports.varnish}, but backend is 127\\.0\\.0\\.1:${stray}`,
    ),
    /\[nginx\] backend-socket/,
  );
});

test('a backend socket that is not the one of the part at the backend address is refused', async () => {
  await planFails(
    ['nginx:backend-socket=/tmp/elsewhere.sock'],
    'BAD_OPTION',
    /backend-socket \/tmp\/elsewhere\.sock is not the socket of any part this one refers to/,
    /\[nginx\] backend-socket/,
  );
});

test('two programs on one address and port are refused', async () => {
  await planFails(
    [`ports:haproxy-stats=${stack.ports.haproxy}`],
    'ADDRESS_CLASH',
    /programs "haproxy" and "haproxy" would both listen on|would both listen on 127\.0\.0\.1:\d+/,
    /\[haproxy\]/,
  );
  await planFails(
    [`ports:memcached=${stack.ports.database}`],
    'ADDRESS_CLASH',
    /programs "memcached" and "mysql" would both listen on 127\.0\.0\.1:\d+/,
    /\[mysql\]/,
  );
});

test('a port out of range is refused', async () => {
  await planFails(
    ['ports:http=70000'],
    'BAD_OPTION',
    /port "70000" \(option http of \[nginx\]\) is not a number between 1 and 65535/,
    /\[nginx\] http/,
  );
});

test('a missing binary is an error naming the Debian package', async () => {
  await planFails(
    ['haproxy:executable=/nonexistent/sbin/haproxy'],
    'BAD_OPTION',
    /executable = \/nonexistent\/sbin\/haproxy: no executable file there/,
    /Debian package haproxy/,
  );
});

test('a user that does not exist is refused', async () => {
  await planFails(
    ['users:haproxy=no-such-user'],
    'BAD_OPTION',
    /user "no-such-user" \(option user of \[haproxy\]\) does not exist on this machine/,
    /adduser --system/,
  );
  await planFails(
    ['users:zope-process=no-such-user'],
    'BAD_OPTION',
    /option effective-user of \[instance1\]/,
    /\[instance1\] effective-user/,
  );
  await planFails(
    ['users:haproxy=no-such-user no-such-either'],
    'BAD_OPTION',
    /none of the users "no-such-user", "no-such-either" \(option user of \[haproxy\]\) exists on this machine/,
    /\[haproxy\] user/,
  );
});

test('a user option names users best first: the first that exists is the one', async () => {
  const result = await stack.assemble('users:haproxy=no-such-user nobody', 'plan');
  assert.equal(result.status, 0, result.stderr);
  assert.doesNotMatch(result.stderr, /warning/i);
  writeFileSync(
    path.join(stack.dir, 'users.cfg'),
    '[buildout]\nextends = deployment.cfg\n[users]\nhaproxy = no-such-user nobody\n',
  );
  const assembled = await assembleAsync(['-c', 'users.cfg', ...stack.overrides, 'install', 'haproxy'], {
    cwd: stack.dir,
    timeoutMs: 120_000,
  });
  assert.equal(assembled.status, 0, assembled.stderr);
  const nobody = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  assert.equal(
    statSync(path.join(stack.dir, 'etc', 'haproxy.conf')).uid,
    nobody,
    "haproxy's config is the fallback user's",
  );
  assert.equal(statSync(path.join(stack.dir, 'var', 'haproxy')).uid, nobody);
});

test("when the users change, a daemon's directories are handed over with everything in them", async () => {
  const first = await stack.assemble('users:mysql=nobody', 'install', 'mysql');
  assert.equal(first.status, 0, first.stderr);
  const nobody = Number(spawnSync('id', ['-u', 'nobody'], { encoding: 'utf8' }).stdout.trim());
  const datadir = path.join(stack.dir, 'var', 'mysql', 'data');
  const owners = (dir: string): Set<number> =>
    new Set(readdirSync(dir, { recursive: true }).map((entry) => lstatSync(path.join(dir, String(entry))).uid));
  assert.ok(owners(datadir).has(nobody), 'mariadb-install-db made it as nobody');
  const second = await stack.assemble('users:mysql=mysql', 'install', 'mysql');
  assert.equal(second.status, 0, second.stderr);
  const mysql = Number(spawnSync('id', ['-u', 'mysql'], { encoding: 'utf8' }).stdout.trim());
  assert.deepEqual([...owners(datadir)], [mysql], "every file of the datadir is mysql's now");
  assert.equal(statSync(path.join(stack.dir, 'etc', 'mysql.cnf')).uid, mysql);
});

test('an egg the interpreter does not have, or no Zope and no wsgi-app, is an error at assembly', async () => {
  await planFails(
    ['eggs:main=waitress NoSuchEgg'],
    'BAD_OPTION',
    /egg NoSuchEgg is not installed for \/usr\/bin\/python3/,
    /apt-get install python3-nosuchegg/,
  );
  await planFails(
    ['instance:wsgi-app='],
    'BAD_OPTION',
    /Zope is not installed for \/usr\/bin\/python3, and \[instance1\] names no wsgi-app/,
    /set wsgi-app/,
  );
});

test(
  'a generated nginx, haproxy or varnish config the daemon refuses fails the assembly at that part, rolled ' +
    "back, with the daemon's message and the line",
  async () => {
    const broken: Array<[part: string, template: string, from: string, to: string, file: string, message: RegExp]> = [
      [
        'nginx',
        'nginx/nginx.conf',
        'keepalive_timeout',
        'keepalive_timeoutt',
        'nginx.conf',
        /nginx: \[emerg\] unknown directive "keepalive_timeoutt" in .*nginx\.conf:\d+\n\s+.*\n\s+line \d+ of the generated file: keepalive_timeoutt 65;/,
      ],
      [
        'haproxy',
        'haproxy/haproxy.conf',
        '    maxconn',
        '    maxxconn',
        'haproxy.conf',
        /unknown keyword 'maxxconn' in 'global' section[^]*line \d+ of the generated file: maxxconn \d+/,
      ],
      [
        'varnish',
        'varnish/varnish.vcl',
        'return (hash);',
        'retrun (hash);',
        'varnish.vcl',
        /Symbol not found: 'retrun'[^]*Line \d+ Pos \d+/,
      ],
    ];
    for (const [part, template, from, to, file, message] of broken) {
      const text = readFileSync(path.join(ROOT, 'templates', template), 'utf8');
      assert.ok(text.includes(from), `${template} has ${from}`);
      writeFileSync(path.join(stack.dir, `broken-${file}`), text.replace(from, to));
      const result = await stack.assemble('-q', `${part}:template=broken-${file}`);
      assert.equal(result.status, 2, `${part}: ${result.stderr}`);
      assert.match(
        result.stderr,
        new RegExp(`error\\[BAD_OPTION\\]: ${part} refuses the generated .*etc/${file.replace('.', '\\.')}:`),
      );
      assert.match(result.stderr, message);
      assert.match(result.stderr, new RegExp(`--> \\[${part}\\] template`));
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
      assert.equal(existsSync(path.join(stack.dir, 'etc', file)), false, `${file} rolled back`);
    }
  },
);

test('haproxy warns when a server maxconn disagrees with the instance threads', async () => {
  const result = await stack.assemble('haproxy:server-maxconn=4', 'plan');
  assert.equal(result.status, 0, result.stderr);
  assert.match(
    result.stderr,
    /server-maxconn = 4, but \[instance1\] serves 2 threads: requests will queue inside the instance/,
  );
});

test('a binary that a build part of the deployment will make is accepted before it exists', () =>
  withDeployment(
    `[buildout]
parts = cache
[cache-build]
recipe = zetaserver-recipe-demo
content = a stand-in for a cmmi build
[cache]
recipe = memcached
bind = 127.0.0.1:${11311}
executable = \${cache-build:location}/bin/memcached
[versions]
memcached = 1.6.18
`,
    (d) => {
      const plan = d.run('plan');
      assert.equal(plan.status, 0, plan.stderr);
      assert.match(plan.stdout, /install\s+cache-build[\s\S]*install\s+cache\s/, 'the build part goes first');
      d.write(
        'buildout.cfg',
        d.read('buildout.cfg').replace('${cache-build:location}/bin/memcached', '/nonexistent/bin/memcached'),
      );
      const missing = d.run('plan');
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /executable = \/nonexistent\/bin\/memcached: no executable file there/);
    },
  ));
