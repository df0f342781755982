/**
 * The porter part's configuration: every bad value is an error located at its option (all bad
 * route lines at once), the deployment's own pools are checked as the program's upstream, an
 * unresolvable backend host stops the install; developer access exists only when enabled, and an
 * error-pages directory gives one site its own page.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { freePort } from '../helpers/ports';
import { get, porter, porterDeployment, programOf, startBackend, startProgram } from '../helpers/porter';
import { withDeployment } from '../helpers/deployment';

const HEAD = `[buildout]
parts = porter
[porter]
recipe = porter
listen = 127.0.0.1:18999
`;

test('bad routes are errors at the option, every bad line listed at once', () =>
  withDeployment(
    `${HEAD}external-pools =
    app 127.0.0.1:8080
routes =
    ok.test -> app
    bad_name.test -> app
    x.test -> nopool
    y.test -> app zope
    ok.test -> 127.0.0.1:9000
    z.test app
`,
    (d) => {
      const r = d.run('plan');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^error\[BAD_OPTION\]: 5 problems in option routes of \[porter\]:\n/);
      assert.match(r.stderr, /\n {2}line 2: "bad_name\.test" is not a domain Porter can route/);
      assert.match(r.stderr, /\n {2}line 3: backend "nopool" is neither a pool of this porter nor a host:port address/);
      assert.match(r.stderr, /\n {2}line 4: a zope route needs the id of the site to serve/);
      assert.match(r.stderr, /\n {2}line 5: domain ok\.test cannot be added: it has a route already \(-> app\)/);
      assert.match(r.stderr, /\n {2}line 6: cannot read the route "z\.test app": it has no "->"/);
      assert.match(r.stderr, /--> buildout\.cfg:8:1 {2}\[porter\] routes\n/);
      assert.match(r.stderr, /\n {2}while: checking the options of part \[porter\] \(recipe porter\)/);
    },
  ));

test('other bad options are located errors with a hint', async () => {
  const cases: Array<[string, RegExp]> = [
    [
      '[buildout]\nparts = porter\n[porter]\nrecipe = porter\n',
      /part \[porter\] needs "listen": the addresses the front door answers on[\s\S]*hint: for example: listen = 0\.0\.0\.0:80/,
    ],
    [`${HEAD}workers = many\n`, /workers must be "auto" or a number from 1 to 64, not "many"/],
    [
      `${HEAD}pools =\n    Bad 127.0.0.1:1\n`,
      /pool name "Bad" must start with a letter[\s\S]*--> buildout\.cfg:6:1 {2}\[porter\] pools/,
    ],
    [
      `${HEAD}external-pools =\n    app 127.0.0.1:99999\n`,
      /port "99999" is out of range: a port is a whole number from 1 to 65535 \(line 1 of external-pools\)/,
    ],
    [`${HEAD}developer-domain = *.dev.test\n`, /developer-domain "\*\.dev\.test" cannot be a wildcard/],
    [
      `${HEAD}developer-domain = dev.test\ndeveloper-allow = 10.0.0.0/99\n`,
      /"10\.0\.0\.0\/99" is not an IP address or CIDR block/,
    ],
    [
      `${HEAD}external-pools =\n    app 127.0.0.1:8080\ndeveloper-domain = dev.test\nroutes = app.dev.test -> app\n`,
      /domain app\.dev\.test is taken by developer access to pool app/,
    ],
    [`${HEAD}syslog = 127.0.0.1:514\nsyslog-facility = local9\n`, /syslog facility "local9" is unknown/],
  ];
  for (const [config, message] of cases) {
    await withDeployment(config, (d) => {
      const r = d.run('plan');
      assert.equal(r.status, 2, config);
      assert.match(r.stderr, /^error\[BAD_OPTION\]: /, config);
      assert.match(r.stderr, message, config);
    });
  }
});

test("the deployment's own pools are the program's upstream: a pool nothing in the deployment serves is an error", () =>
  withDeployment(
    `${HEAD}pools =
    plone 127.0.0.1:18998
routes = site.test -> plone zope Plone
`,
    (d) => {
      const r = d.run('plan');
      assert.equal(r.status, 2);
      assert.match(
        r.stderr,
        /error\[UPSTREAM_MISMATCH\]: program "porter" forwards to 127\.0\.0\.1:18998, but no program of this deployment listens there/,
      );
    },
  ));

test('a backend host that does not resolve stops the install, located at its option, and leaves nothing behind', () =>
  withDeployment(
    `${HEAD}external-pools =
    far no-such-host.invalid:8080
routes = far.test -> far
`,
    (d) => {
      const r = d.run();
      assert.equal(r.status, 2);
      assert.match(
        r.stderr,
        /error\[BAD_OPTION\]: the backend host "no-such-host\.invalid" cannot be resolved \(no such host\)/,
      );
      assert.match(r.stderr, /--> buildout\.cfg:6:1 {2}\[porter\] external-pools/);
      assert.ok(!d.exists('parts/porter') && !d.exists('bin/porter') && !d.exists('.installed.json'));
    },
  ));

test(
  'developer access exists only when enabled; bin/porter apply puts a re-assembled config live; one site has ' +
    'its own error page',
  { timeout: 120_000 },
  async (t) => {
    const app = await startBackend('app');
    t.after(() => app.stop());
    const port = await freePort();
    const base = `[buildout]
parts = porter
[porter]
recipe = porter
listen = 127.0.0.1:${port}
workers = 1
error-pages = \${buildout:directory}/pages
external-pools =
    app ${app.address} 127.0.0.1:9
routes =
    site.test -> app
    down.test -> 127.0.0.1:9
    own.test -> 127.0.0.1:9
`;
    const d = porterDeployment(base);
    t.after(() => d.cleanup());
    for (const page of ['parked', '502', '503', '504'])
      d.write(`pages/${page}.html`, `custom ${page} for <!--# echo var="host" -->\n`);
    d.write('pages/sites/own.test/502.html', 'own.test has its own 502 page\n');
    assert.equal(d.run().status, 0);
    const nginx = await startProgram(programOf(d));
    t.after(() => nginx.stop());
    assert.equal((await get(port, 'down.test')).body, 'custom 502 for down.test\n');
    assert.equal((await get(port, 'own.test')).body, 'own.test has its own 502 page\n');
    assert.equal((await get(port, 'elsewhere.test')).body, 'custom parked for elsewhere.test\n');
    const devHosts = ['app.dev.test', `app_${app.port}.dev.test`];
    for (const host of devHosts)
      assert.equal((await get(port, host)).status, 404, `${host}: no developer access unless enabled`);

    d.write('buildout.cfg', `${base}developer-domain = dev.test\ndeveloper-allow = all\n`);
    assert.equal(d.run().status, 0);
    assert.equal(
      (await get(port, 'app.dev.test')).status,
      404,
      'the running porter keeps its config until it is reloaded',
    );
    const applied = await porter(d, 'apply');
    assert.equal(applied.status, 0, applied.stderr);
    assert.match(applied.stdout, /^applied the routing table\nlive after \d+ ms/);
    for (const host of devHosts) assert.equal((await get(port, host, '/x')).json?.url, '/x', host);
    assert.equal(
      (await get(port, 'app.dev.test', '/', { localAddress: '127.0.0.2' })).json?.backend,
      'app',
      'developer-allow = all',
    );
    assert.equal(
      (await get(port, 'app_9.dev.test')).body,
      'custom 502 for app_9.dev.test\n',
      'the second instance, down',
    );
  },
);

test("plan diffs Porter's nginx.conf: a route added in the configuration shows in it, and the file is the one install writes", () =>
  withDeployment(`${HEAD}external-pools =\n    app 127.0.0.1:8080\nroutes =\n    one.test -> app\n`, (d) => {
    const installed = d.run();
    assert.equal(installed.status, 0, installed.stderr);
    const conf = d.path('parts/porter/nginx.conf');
    d.write(
      'buildout.cfg',
      `${HEAD}external-pools =\n    app 127.0.0.1:8080\nroutes =\n    one.test -> app\n    two.test -> app\n`,
    );
    const planned = d.run('plan', '--json');
    assert.equal(planned.status, 0, planned.stderr);
    const files = (JSON.parse(planned.stdout) as { files: Array<{ path: string; change: string; diff: string }> })
      .files;
    const diff = files.find((f) => f.path === conf);
    assert.ok(diff, `nginx.conf is not in the plan's files: ${files.map((f) => f.path).join(', ')}`);
    assert.equal(diff.change, 'changed');
    assert.match(diff.diff, /^\+.*two\.test/m);
    assert.doesNotMatch(diff.diff, /^[-+].*one\.test/m);
    // what plan showed is what install writes: afterwards nginx.conf has no change left to show
    const applied = d.run();
    assert.equal(applied.status, 0, applied.stderr);
    const again = JSON.parse(d.run('plan', '--json').stdout) as { files: Array<{ path: string }> };
    assert.equal(
      again.files.some((f) => f.path === conf),
      false,
    );
  }));
