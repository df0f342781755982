/**
 * bin/porter as an operator meets it: bad input is refused with a clear error and exit 2 and
 * changes nothing; concurrent edits all land; re-running bin/assemble keeps bin/porter's routes;
 * list, check, remove and reset say what they did.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePort } from '../helpers/ports';
import { get, porter, porterDeployment, programOf, startBackend, startProgram, type Backend } from '../helpers/porter';
import type { Deployment } from '../helpers/deployment';

function snapshot(d: Deployment): { table: string; conf: string } {
  const table = d.exists('var/porter/porter/routes.json') ? d.read('var/porter/porter/routes.json') : '(none)';
  return { table, conf: d.read('parts/porter/nginx.conf') };
}

function config(port: number, extra = ''): string {
  return `[buildout]
parts = porter
[porter]
recipe = porter
listen = 127.0.0.1:${port}
workers = 1
external-pools =
    app 127.0.0.1:9 127.0.0.1:10
routes =
    site.test www.site.test -> app zope Plone
${extra}`;
}

test(
  'bad input to bin/porter is refused with exit 2 and a clear error, and changes nothing',
  { timeout: 120_000 },
  async (t) => {
    const d = porterDeployment(config(await freePort()));
    t.after(() => d.cleanup());
    assert.equal(d.run().status, 0);
    const added = await porter(d, 'add', 'kept.test', '127.0.0.1:9');
    assert.equal(added.status, 0, added.stderr);
    assert.match(
      added.stdout,
      /^added kept\.test -> 127\.0\.0\.1:9 \[http\]\nporter \[porter\] is not running: nginx\.conf is updated and takes effect when it starts\n$/,
    );
    assert.match(
      added.stderr,
      /^warning: nothing answers at 127\.0\.0\.1:9 \(connection refused\) yet; kept\.test shows its 502 page until it does\n$/,
    );
    assert.match(d.read('parts/porter/nginx.conf'), /server_name kept\.test;/);
    const before = snapshot(d);
    const cases: Array<[string[], string, RegExp]> = [
      [
        ['add', 'bad_name.test', 'app'],
        'PORTER_BAD_DOMAIN',
        /"bad_name\.test" is not a domain Porter can route: the label "bad_name"/,
      ],
      [['add', 'a..test', 'app'], 'PORTER_BAD_DOMAIN', /empty label/],
      [['add', '*.test', 'app'], 'PORTER_BAD_DOMAIN', /wildcard needs at least two labels/],
      [
        ['add', 'x.test', 'no-such-host.invalid:8080'],
        'PORTER_UNRESOLVABLE',
        /the backend host "no-such-host\.invalid" cannot be resolved \(no such host\)/,
      ],
      [['add', 'x.test', '127.0.0.1:70000'], 'PORTER_BAD_PORT', /port "70000" is out of range/],
      [['add', 'x.test', '127.0.0.1:0'], 'PORTER_BAD_PORT', /port "0" is out of range/],
      [['add', 'x.test', 'nopool'], 'PORTER_UNKNOWN_POOL', /backend "nopool" is neither a pool/],
      [
        ['add', 'site.test', '127.0.0.1:8080'],
        'PORTER_DUPLICATE',
        /domain site\.test cannot be added: it has a route already \(-> app\)/,
      ],
      [
        ['add', 'x.test', '127.0.0.1:8080', '--alias', 'www.site.test'],
        'PORTER_DUPLICATE',
        /domain www\.site\.test cannot be added: it is an alias in the route of site\.test/,
      ],
      [['add', 'KEPT.test', '127.0.0.1:8081'], 'PORTER_DUPLICATE', /domain kept\.test cannot be added/],
      [['add', 'x.test', 'app', '--kind', 'zope'], 'PORTER_BAD_SITE', /a zope route needs the id of the site/],
      [['add', 'x.test', 'app', '--kind', 'ftp'], 'PORTER_BAD_KIND', /route kind "ftp" is unknown/],
      [['add', 'x.test', 'app', '--site', 'Plone;evil'], 'PORTER_BAD_SITE', /"Plone;evil" is not a Zope site id/],
      [['add', 'x.test'], 'BAD_USAGE', /bin\/porter add takes DOMAIN BACKEND, not "x\.test"/],
      [['add', 'x.test', 'app', '--color'], 'BAD_USAGE', /unknown option --color/],
      [['remove', 'www.site.test'], 'PORTER_UNKNOWN_DOMAIN', /no route has the domain www\.site\.test/],
      [['remove', 'gone.test'], 'PORTER_UNKNOWN_DOMAIN', /no route has the domain gone\.test/],
      [['move', 'gone.test', 'app'], 'PORTER_UNKNOWN_DOMAIN', /no route has the domain gone\.test/],
      [['reset', 'site.test'], 'PORTER_UNKNOWN_DOMAIN', /bin\/porter has not changed the route of site\.test/],
      [['frobnicate'], 'BAD_USAGE', /unknown command "frobnicate"/],
    ];
    for (const [args, code, message] of cases) {
      const run = await porter(d, ...args);
      assert.equal(run.status, 2, `${args.join(' ')}: exit 2 (${run.stderr})`);
      assert.match(run.stderr, new RegExp(`^error\\[${code}\\]: `), args.join(' '));
      assert.match(run.stderr, message, args.join(' '));
      assert.match(run.stderr, /\n {2}hint: \S/, `${args.join(' ')}: a hint`);
      assert.match(
        run.stderr,
        new RegExp(`\\n {2}while: running bin/porter ${args.join(' ').replace(/[.*+?^$()|[\]\\]/g, '\\$&')}\\n$`),
      );
      assert.equal(run.stdout, '', args.join(' '));
      assert.deepEqual(snapshot(d), before, `${args.join(' ')}: the table and nginx.conf are unchanged`);
    }
    d.write(
      'var/porter/porter/routes.json',
      '{"format": 1, "added": [{"domains": ["x.test; include /etc/shadow"], "backend": "app", "kind": ' +
        '"http"}], "removed": []}\n',
    );
    for (const args of [['list'], ['add', 'y.test', 'app']]) {
      const corrupt = await porter(d, ...args);
      assert.equal(corrupt.status, 2, corrupt.stderr);
      assert.match(
        corrupt.stderr,
        /^error\[PORTER_TABLE_CORRUPT\]: the routing table \S+routes\.json cannot be read: the route .* holds a value Porter would not accept\n/,
      );
    }
    const reassembled = d.run('porter:workers=2');
    assert.equal(reassembled.status, 2);
    assert.match(
      reassembled.stderr,
      /error\[BAD_OPTION\]: the routing table \S+routes\.json cannot be read[\s\S]*hint: it is JSON kept by bin\/porter; repair it, or move it aside/,
    );
    d.write('var/porter/porter/routes.json', before.table);
    assert.equal(d.run().status, 0, 'repaired: installs again');
    assert.deepEqual(snapshot(d), before);

    const help = await porter(d, 'help');
    assert.equal(help.status, 0);
    assert.match(help.stdout, /^usage: bin\/porter COMMAND[\s\S]*Exit status: 0 done; 1 a dead backend/);
    const alias = await porter(d, 'remove', 'www.site.test');
    assert.match(alias.stderr, /hint: www\.site\.test is an alias of site\.test; remove site\.test, or move it\./);
  },
);

test(
  'concurrent bin/porter adds all land, and a running porter serves every one of them',
  { timeout: 180_000 },
  async (t) => {
    const backend: Backend = await startBackend('solo');
    t.after(() => backend.stop());
    const port = await freePort();
    const d = porterDeployment(config(port));
    t.after(() => d.cleanup());
    assert.equal(d.run().status, 0);
    const nginx = await startProgram(programOf(d));
    t.after(() => nginx.stop());
    const domains = Array.from({ length: 8 }, (_, i) => `c${i}.test`);
    const runs = await Promise.all(domains.map((domain) => porter(d, 'add', domain, backend.address)));
    for (const run of runs) {
      assert.equal(run.status, 0, run.stderr);
      assert.match(run.stdout, /live after \d+ ms \(graceful reload of porter \[porter\]\)/);
    }
    const table = JSON.parse(d.read('var/porter/porter/routes.json')) as { added: Array<{ domains: string[] }> };
    assert.deepEqual(table.added.map((r) => r.domains[0]).sort(), domains, 'no update was lost');
    for (const domain of domains) assert.equal((await get(port, domain)).json?.backend, 'solo', domain);
    const listed = JSON.parse((await porter(d, 'list', '--json')).stdout) as {
      routes: Array<{ domains: string[]; source: string }>;
    };
    assert.equal(listed.routes.filter((r) => r.source === 'porter').length, 8);
  },
);

test(
  "re-running bin/assemble keeps bin/porter's routes; list shows where each route comes from; check finds the dead",
  { timeout: 180_000 },
  async (t) => {
    const backend = await startBackend('live');
    t.after(() => backend.stop());
    const port = await freePort();
    const d = porterDeployment(config(port));
    t.after(() => d.cleanup());
    assert.equal(d.run().status, 0);
    assert.equal((await porter(d, 'add', 'extra.test', backend.address, '--alias', 'www.extra.test')).status, 0);
    assert.equal((await porter(d, 'move', 'site.test', backend.address)).status, 0);
    const moved = JSON.parse(d.read('var/porter/porter/routes.json')) as {
      added: Array<{ domains: string[]; kind: string; site: string }>;
    };
    assert.deepEqual(
      moved.added[1],
      { domains: ['site.test', 'www.site.test'], backend: backend.address, kind: 'zope', site: 'Plone' },
      'move keeps aliases, kind and site',
    );

    // a changed option reinstalls the part: the overlay in var/ survives, nginx.conf has both layers
    const again = d.run('porter:read-timeout=30');
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stderr, /reinstall\s+porter/);
    assert.match(
      again.stderr,
      /route site\.test -> 127\.0\.0\.1:\d+ from bin\/porter replaces the config's \(-> app\); bin\/porter reset site\.test returns to the config/,
    );
    const conf = d.read('parts/porter/nginx.conf');
    assert.match(conf, /server_name extra\.test www\.extra\.test;/);
    assert.match(conf, /proxy_read_timeout 30s;/);
    const listed = await porter(d, 'list');
    assert.equal(listed.status, 0);
    assert.match(listed.stdout, /^DOMAIN\s+ALIASES\s+BACKEND\s+KIND\s+FROM\n/);
    assert.match(listed.stdout, /\nextra\.test\s+www\.extra\.test\s+127\.0\.0\.1:\d+\s+http\s+bin\/porter\n/);
    assert.match(
      listed.stdout,
      /\nsite\.test\s+www\.site\.test\s+127\.0\.0\.1:\d+\s+zope Plone\s+bin\/porter \(replaces the config's -> app\)\n/,
    );

    const nginx = await startProgram(programOf(d));
    t.after(() => nginx.stop());
    assert.equal((await get(port, 'www.extra.test')).json?.backend, 'live', 'served after the reinstall');
    const check = await porter(d, 'check');
    assert.equal(check.status, 0, check.stdout);
    assert.match(check.stdout, /all 2 backend addresses answer/);
    assert.equal((await porter(d, 'reset', 'site.test')).status, 0);
    assert.match(d.read('parts/porter/nginx.conf'), /# config route site\.test -> app/);
    const dead = await porter(d, 'check', '--json');
    assert.equal(dead.status, 1, 'a dead backend makes check exit 1');
    const report = JSON.parse(dead.stdout) as {
      dead: number;
      backends: Array<{ route: string; address: string; result: { alive: boolean; why?: string } }>;
    };
    assert.equal(report.dead, 2);
    assert.deepEqual(
      report.backends.filter((b) => !b.result.alive).map((b) => `${b.route} ${b.address} ${b.result.why}`),
      ['site.test 127.0.0.1:9 connection refused', 'site.test 127.0.0.1:10 connection refused'],
    );
    assert.equal((await get(port, 'site.test')).status, 502, "back on the config's (dead) pool: its error page");

    assert.equal((await porter(d, 'remove', 'site.test')).status, 0);
    assert.equal((await get(port, 'www.site.test')).status, 404, 'a removed config route is parked');
    const third = d.run('porter:read-timeout=31');
    assert.equal(third.status, 0, third.stderr);
    assert.match(
      third.stderr,
      /route site\.test of the config stays removed \(by bin\/porter remove\); bin\/porter reset site\.test brings it back/,
    );
    assert.doesNotMatch(readFileSync(d.path('parts/porter/nginx.conf'), 'utf8'), /server_name site\.test/);
  },
);

test(
  "bin/porter maintenance --page refuses a page nginx's workers cannot read, and changes nothing",
  { skip: process.getuid?.() !== 0 && 'only a root master has workers of another user' },
  async (t) => {
    const port = await freePort();
    const d = porterDeployment(config(port));
    t.after(() => d.cleanup());
    assert.equal(d.run().status, 0);
    const privateDir = path.join(d.dir, 'private');
    mkdirSync(privateDir, { mode: 0o700 });
    chmodSync(privateDir, 0o700);
    const page = path.join(privateDir, 'maintenance.html');
    writeFileSync(page, '<p>back soon</p>\n', { mode: 0o644 });
    const before = snapshot(d);
    const refused = await porter(d, 'maintenance', 'site.test', 'on', '--page', page);
    assert.equal(refused.status, 2, refused.stdout + refused.stderr);
    assert.match(
      refused.stderr,
      new RegExp(
        `PORTER_BAD_PAGE.*the maintenance page ${page.replace(/[/.-]/g, '\\$&')} cannot be used: nginx's ` +
          `workers run as nobody, who cannot read it`,
      ),
    );
    assert.deepEqual(snapshot(d), before, 'the table and nginx.conf are unchanged');
    chmodSync(privateDir, 0o711);
    const accepted = await porter(d, 'maintenance', 'site.test', 'on', '--page', page);
    assert.equal(accepted.status, 0, accepted.stderr);
    const table = JSON.parse(d.read('var/porter/porter/routes.json')) as { maintenance: unknown };
    assert.deepEqual(table.maintenance, [{ domain: 'site.test', page }]);
  },
);
