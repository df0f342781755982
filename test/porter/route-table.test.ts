/**
 * The routing table's pure parts: the checks every value passes before it reaches nginx.conf,
 * the two layers (config routes, bin/porter's overlay) and how they combine, a hand-edited
 * overlay that could inject into the config, and rendering (deterministic, generation per content).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkAddress, checkBackend, checkDomain, parseRouteLine, type Pool, type Route } from '../../programs/porter/routes';
import { addRoute, effectiveRoutes, emptyOverlay, moveRoute, parseOverlay, removeRoute, resetRoute, type Overlay } from '../../programs/porter/table';
import { developerServers, type PorterSettings } from '../../programs/porter/settings';
import { generationOf, renderNginx } from '../../programs/porter/render-nginx';
import { nginxLayout } from '../../programs/nginx/layout';

const pools: Pool[] = [{ name: 'app', addresses: [{ host: '127.0.0.1', port: 8081 }, { host: '127.0.0.1', port: 8082 }], external: true }];

test('domains: normalised, wildcards only in front, no addresses or odd characters', () => {
  assert.equal(checkDomain('WWW.Example.COM.').value, 'www.example.com');
  assert.equal(checkDomain('*.example.com').value, '*.example.com');
  for (const bad of ['', 'a..b', 'a.*.b', 'ex ample.com', 'a;b.com', 'a_b.com', '-a.com', '10.0.0.1', '*.com', 'x.example.com"', `${'a'.repeat(64)}.com`]) {
    assert.ok(checkDomain(bad).problem, `${JSON.stringify(bad)} is refused`);
  }
});

test('addresses and backends: ports in range, hosts a config can hold, pools by name', () => {
  assert.deepEqual(checkAddress('127.0.0.1:8080').value, { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(checkAddress('[::1]:8080').value, { host: '::1', port: 8080 });
  assert.deepEqual(checkAddress('App1.Internal:80').value, { host: 'app1.internal', port: 80 });
  assert.equal(checkAddress('127.0.0.1:65536').problem?.code, 'PORTER_BAD_PORT');
  assert.equal(checkAddress('127.0.0.1:').problem?.code, 'PORTER_BAD_PORT');
  for (const bad of ['::1:80', '0.0.0.0:80', 'a;b:80', 'h"x:80', '$host:80']) assert.equal(checkAddress(bad).problem?.code, 'PORTER_BAD_HOST', bad);
  assert.equal(checkBackend('app', pools).value, 'app');
  assert.equal(checkBackend('apps', pools).problem?.code, 'PORTER_UNKNOWN_POOL');
  assert.match(checkBackend('apps', pools).problem!.hint!, /the pools are: app/);
});

test('route lines: domains and aliases, backend, kind and site', () => {
  assert.deepEqual(parseRouteLine('Example.com www.example.com -> app zope Plone', pools).route,
    { domains: ['example.com', 'www.example.com'], backend: 'app', kind: 'zope', site: 'Plone' });
  assert.deepEqual(parseRouteLine('*.x.test -> 10.0.0.5:8080', pools).route, { domains: ['*.x.test'], backend: '10.0.0.5:8080', kind: 'http' });
  assert.equal(parseRouteLine('a.test -> app http Plone', pools).problems[0].code, 'PORTER_BAD_SITE');
  assert.equal(parseRouteLine('a.test -> app zope ../etc', pools).problems[0].code, 'PORTER_BAD_SITE');
  assert.equal(parseRouteLine('a.test -> app zope Plone extra', pools).problems[0].code, 'PORTER_BAD_ROUTE');
  assert.equal(parseRouteLine('bad_x -> nope', pools).problems.length, 2, 'every problem of a line');
});

test('layers: the overlay adds, replaces and removes config routes; reset returns to the config', () => {
  const base: Route[] = [{ domains: ['a.test', 'www.a.test'], backend: 'app', kind: 'zope', site: 'Plone' }];
  const reserved = new Map<string, string>();
  const added = addRoute(base, emptyOverlay(), pools, { domains: ['b.test'], backend: '127.0.0.1:9000', kind: 'http' }, reserved).overlay!;
  assert.deepEqual(effectiveRoutes(base, added, pools).map((r) => `${r.domains[0]}:${r.source}`), ['a.test:config', 'b.test:porter']);
  assert.equal(addRoute(base, added, pools, { domains: ['c.test', 'b.test'], backend: 'app', kind: 'http' }, reserved).problem?.code, 'PORTER_DUPLICATE');
  assert.equal(addRoute(base, added, pools, { domains: ['c.test', 'c.test'], backend: 'app', kind: 'http' }, reserved).problem?.code, 'PORTER_DUPLICATE');
  assert.equal(addRoute(base, added, pools, { domains: ['dev.test'], backend: 'app', kind: 'http' }, new Map([['dev.test', 'developer access']])).problem?.code, 'PORTER_DUPLICATE');

  const moved = moveRoute(base, added, pools, 'www.a.test', { backend: '127.0.0.1:9001', kind: 'zope', site: 'Plone' }).overlay!;
  const afterMove = effectiveRoutes(base, moved, pools);
  assert.deepEqual(afterMove.map((r) => `${r.domains.join(',')}>${r.backend}:${r.source}`), ['b.test>127.0.0.1:9000:porter', 'a.test,www.a.test>127.0.0.1:9001:porter']);
  assert.equal(afterMove[1].replaces?.backend, 'app');

  const removed = removeRoute(base, moved, pools, 'a.test').overlay!;
  assert.deepEqual(removed, { format: 1, added: [{ domains: ['b.test'], backend: '127.0.0.1:9000', kind: 'http' }], removed: ['a.test'] });
  assert.deepEqual(effectiveRoutes(base, removed, pools).map((r) => r.domains[0]), ['b.test']);
  assert.deepEqual(effectiveRoutes(base, resetRoute(base, removed, 'a.test').overlay!, pools).map((r) => r.domains[0]), ['a.test', 'b.test']);
  assert.equal(resetRoute(base, removed, 'b.test').overlay!.added.length, 0, 'reset of a porter-only route drops it');
  assert.equal(resetRoute(base, emptyOverlay(), 'a.test').problem?.code, 'PORTER_UNKNOWN_DOMAIN');
});

test('an overlay route whose pool the config dropped stays in the table, not served', () => {
  const overlay: Overlay = { format: 1, added: [{ domains: ['z.test'], backend: 'gone', kind: 'http' }], removed: [] };
  const [route] = effectiveRoutes([], overlay, pools);
  assert.match(route.inactive!, /pool "gone" is no longer defined/);
});

test('a hand-edited overlay that would inject into nginx.conf is refused', () => {
  const good = { format: 1, added: [{ domains: ['a.test'], backend: '127.0.0.1:80', kind: 'http' }], removed: [] };
  assert.doesNotThrow(() => parseOverlay(JSON.stringify(good)));
  const evil = [
    { ...good, added: [{ ...good.added[0], domains: ['a.test; include /etc/shadow'] }] },
    { ...good, added: [{ ...good.added[0], backend: '127.0.0.1:80; }' }] },
    { ...good, added: [{ ...good.added[0], kind: 'zope', site: 'P$host' }] },
    { ...good, removed: ['x"y'] },
    { ...good, format: 2 },
  ];
  for (const overlay of evil) assert.throws(() => parseOverlay(JSON.stringify(overlay)), JSON.stringify(overlay));
});

test('rendering is deterministic; the generation changes with the content', () => {
  const settings: PorterSettings = {
    format: 1, name: 'porter', nginx: '/usr/sbin/nginx', layout: nginxLayout('/t/var/porter/porter', '/t/parts/porter/nginx.conf'),
    accessLog: '/t/var/porter/porter/log/access.log', overlay: '/t/o.json', lock: '/t/o.lock', pages: '/t/pages',
    listen: [{ host: '127.0.0.1', port: 8080 }], workers: '1', pools, routes: [{ domains: ['a.test'], backend: 'app', kind: 'http' }],
    developer: { domain: 'dev.test', allow: [] }, connectTimeout: 5, readTimeout: 60,
  };
  const one = renderNginx(settings, effectiveRoutes(settings.routes, emptyOverlay(), pools));
  assert.equal(renderNginx(settings, effectiveRoutes(settings.routes, emptyOverlay(), pools)), one);
  const two = renderNginx({ ...settings, readTimeout: 61 }, effectiveRoutes(settings.routes, emptyOverlay(), pools));
  assert.notEqual(generationOf(one), generationOf(two));
  assert.match(one, new RegExp(`return 200 "${generationOf(one)}\\\\n";`));
  assert.deepEqual(developerServers(settings).map((s) => s.names), [['app_8081.dev.test', 'app.dev.test'], ['app_8082.dev.test']]);
  assert.match(one, /server_name app_8081\.dev\.test app\.dev\.test;\n\s+location \/ \{/, 'developer-allow = all: no allow/deny lines');
});
