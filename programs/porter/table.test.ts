/**
 * The routing table's two layers: the config's routes and bin/porter's overlay. What each change
 * does to the overlay (never to its input), what the effective table is, and a hand-edited
 * overlay that could inject into nginx.conf.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Pool, Route } from './routes';
import {
  addRoute,
  effectiveRoutes,
  emptyOverlay,
  moveRoute,
  parseOverlay,
  removeRoute,
  resetRoute,
  takenDomain,
  type Overlay,
} from './table';

const pools: Pool[] = [{ name: 'app', addresses: [{ host: '127.0.0.1', port: 8081 }], external: true }];
const base: Route[] = [
  { domains: ['a.test', 'www.a.test'], backend: 'app', kind: 'zope', site: 'Plone' },
  { domains: ['c.test'], backend: 'app', kind: 'http' },
];
const none = new Map<string, string>();
const http = (backend: string): Pick<Route, 'backend' | 'kind'> => ({ backend, kind: 'http' });
const route = (domains: string[], backend = 'app'): Route => ({ domains, ...http(backend) });
const names = (overlay: Overlay): string[] =>
  effectiveRoutes(base, overlay, pools).map((r) => `${r.domains[0]}:${r.source}`);
const added = (domains: string[], backend = 'app'): Overlay =>
  addRoute(base, emptyOverlay(), pools, route(domains, backend), none).overlay!;
const moved = (domain: string, backend: string): Overlay =>
  moveRoute(base, emptyOverlay(), pools, domain, http(backend)).overlay!;

test('without an overlay the table is the config; an added route comes after it, from porter', () => {
  assert.deepEqual(names(emptyOverlay()), ['a.test:config', 'c.test:config']);
  assert.deepEqual(names(added(['b.test'], '127.0.0.1:9000')), ['a.test:config', 'c.test:config', 'b.test:porter']);
});

test('add refuses a domain already routed (also as an alias), reserved, or given twice', () => {
  const add = (domains: string[], reserved = none) => addRoute(base, emptyOverlay(), pools, route(domains), reserved);
  assert.match(add(['new.test', 'www.a.test']).problem!.message, /www\.a\.test/);
  assert.equal(add(['new.test', 'new.test']).problem?.code, 'PORTER_DUPLICATE');
  assert.equal(add(['dev.test'], new Map([['dev.test', 'developer access']])).problem?.code, 'PORTER_DUPLICATE');
  assert.equal(takenDomain([], ['x.test', 'y.test'], none), undefined);
});

test('move keeps every domain of the route, named by any of them; moving again replaces the first move', () => {
  const once = moved('www.a.test', '127.0.0.1:9001');
  assert.deepEqual(once.added, [route(['a.test', 'www.a.test'], '127.0.0.1:9001')]);
  const table = effectiveRoutes(base, once, pools);
  const shown = table.map((r) => `${r.domains[0]}>${r.backend}:${r.source}`);
  assert.deepEqual(shown, ['c.test>app:config', 'a.test>127.0.0.1:9001:porter']);
  assert.equal(table[1].replaces?.backend, 'app', 'it knows the config route it replaces');
  const twice = moveRoute(base, once, pools, 'a.test', { backend: 'app', kind: 'zope', site: 'Other' }).overlay!;
  assert.equal(twice.added.length, 1, 'one overlay route per config route');
  assert.equal(twice.added[0].site, 'Other');
  assert.equal(moveRoute(base, once, pools, 'nope.test', http('app')).problem?.code, 'PORTER_UNKNOWN_DOMAIN');
});

test('remove: a config route is remembered as removed (once); an alias is refused with the name to use', () => {
  const removed = removeRoute(base, emptyOverlay(), pools, 'a.test').overlay!;
  assert.deepEqual(removed, { format: 1, added: [], removed: ['a.test'] });
  assert.deepEqual(names(removed), ['c.test:config']);
  const afterMove = removeRoute(base, moved('a.test', 'app'), pools, 'a.test').overlay;
  assert.deepEqual(afterMove, { format: 1, added: [], removed: ['a.test'] }, 'a moved route goes too');
  const alias = removeRoute(base, emptyOverlay(), pools, 'www.a.test').problem!;
  assert.equal(alias.code, 'PORTER_UNKNOWN_DOMAIN');
  assert.match(alias.hint!, /www\.a\.test is an alias of a\.test/);
  const own = removeRoute(base, added(['b.test']), pools, 'b.test').overlay;
  assert.deepEqual(own, emptyOverlay(), 'a porter-only route leaves nothing behind');
});

test('reset returns a domain to the config, by its name or an alias; with nothing changed it is a problem', () => {
  assert.deepEqual(resetRoute(base, moved('a.test', '127.0.0.1:9001'), 'www.a.test').overlay, emptyOverlay());
  const removed = removeRoute(base, emptyOverlay(), pools, 'c.test').overlay!;
  assert.deepEqual(resetRoute(base, removed, 'c.test').overlay, emptyOverlay());
  assert.equal(resetRoute(base, emptyOverlay(), 'a.test').problem?.code, 'PORTER_UNKNOWN_DOMAIN');
});

test('changes return a new overlay and leave the one they were given as it was', () => {
  const start = added(['b.test']);
  const before = JSON.stringify(start);
  moveRoute(base, start, pools, 'b.test', http('127.0.0.1:9000'));
  removeRoute(base, start, pools, 'a.test');
  resetRoute(base, start, 'b.test');
  addRoute(base, start, pools, route(['d.test']), none);
  assert.equal(JSON.stringify(start), before);
});

test('an overlay route whose pool the config dropped stays in the table, not served', () => {
  const overlay: Overlay = { format: 1, added: [route(['z.test'], 'gone')], removed: [] };
  assert.match(effectiveRoutes([], overlay, pools)[0].inactive!, /pool "gone" is no longer defined/);
  const address: Overlay = { ...overlay, added: [route(['z.test'], '10.0.0.1:80')] };
  assert.equal(effectiveRoutes([], address, pools)[0].inactive, undefined, 'an address needs no pool');
});

test('a hand-edited overlay that would inject into nginx.conf, or is not one, is refused', () => {
  const good = { format: 1, added: [route(['a.test'], '127.0.0.1:80')], removed: [] };
  assert.deepEqual(parseOverlay(JSON.stringify(good)), good);
  const evil = [
    { ...good, added: [{ ...good.added[0], domains: ['a.test; include /etc/shadow'] }] },
    { ...good, added: [{ ...good.added[0], domains: ['A.test'] }] },
    { ...good, added: [{ ...good.added[0], domains: [] }] },
    { ...good, added: [{ ...good.added[0], backend: '127.0.0.1:80; }' }] },
    { ...good, added: [{ ...good.added[0], kind: 'zope', site: 'P$host' }] },
    { ...good, removed: ['x"y'] },
    { ...good, format: 2 },
    { format: 1, added: {}, removed: [] },
    null,
  ];
  for (const overlay of evil) {
    assert.throws(() => parseOverlay(JSON.stringify(overlay)), Error, JSON.stringify(overlay));
  }
  assert.throws(() => parseOverlay('{"format": 1,'), SyntaxError, 'not JSON');
});
