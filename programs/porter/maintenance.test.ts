/**
 * Maintenance in the table and in nginx.conf: on and off return new overlays, a hand-edited list
 * that would inject into nginx.conf is refused, only served names are mapped, and an nginx part's
 * include (embedded) leaves out what that part's own config sets.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { nginxLayout } from '../nginx/public';
import { renderNginx } from './render-nginx';
import type { PorterSettings } from './settings';
import { effectiveRoutes, emptyOverlay, parseOverlay } from './table';
import { withMaintenance } from './maintenance';

const settings: PorterSettings = {
  format: 1,
  name: 'nginx',
  nginx: '/usr/sbin/nginx',
  layout: nginxLayout('/t/var/nginx', '/t/etc/nginx.conf'),
  accessLog: '/t/var/log/nginx-access.log',
  overlay: '/t/o.json',
  lock: '/t/o.lock',
  pages: '/t/pages',
  listen: [{ host: '127.0.0.1', port: 8080 }],
  workers: 'auto',
  pools: [],
  routes: [{ domains: ['a.test', 'www.a.test'], backend: '127.0.0.1:9000', kind: 'http' }],
  connectTimeout: 5,
  readTimeout: 60,
  status: { url: '/_status_', allow: ['127.0.0.1'] },
  embedded: { routesConf: '/t/parts/nginx/front-door.conf', sites: [{ domains: ['site.test'], backend: 'varnish' }] },
};

test('maintenance on and off: new overlays, the one given unchanged; off removes the list', () => {
  const empty = emptyOverlay();
  const on = withMaintenance(empty, 'a.test', '/t/pages/maintenance.html');
  assert.deepEqual(on.maintenance, [{ domain: 'a.test', page: '/t/pages/maintenance.html' }]);
  assert.equal(empty.maintenance, undefined);
  const both = withMaintenance(on, 'site.test', '/t/p.html');
  assert.equal(both.maintenance!.length, 2);
  const again = withMaintenance(both, 'a.test', '/t/other.html');
  assert.deepEqual(
    again.maintenance!.map((m) => `${m.domain} ${m.page}`),
    ['site.test /t/p.html', 'a.test /t/other.html'],
  );
  assert.equal(withMaintenance(withMaintenance(on, 'a.test', undefined), 'x', undefined).maintenance, undefined);
});

test('a hand-edited maintenance list that would inject into nginx.conf is refused', () => {
  for (const entry of [
    { domain: 'a.test', page: 'relative.html' },
    { domain: 'a.test', page: '/t/x";\nreturn 200 "owned' },
    { domain: 'a.test;', page: '/t/p.html' },
    { domain: 'a.test', page: '/t/$host.html' },
  ]) {
    const text = JSON.stringify({ format: 1, added: [], removed: [], maintenance: [entry] });
    assert.throws(() => parseOverlay(text), /"maintenance" list/, JSON.stringify(entry));
  }
  const sound = { format: 1, added: [], removed: [], maintenance: [{ domain: 'a.test', page: '/t/p.html' }] };
  assert.deepEqual(parseOverlay(JSON.stringify(sound)).maintenance, sound.maintenance);
});

test("the include of an nginx part: the site and the routes mapped, the part's own directives left out", () => {
  const routes = effectiveRoutes(settings.routes, emptyOverlay(), settings.pools);
  const maintenance = [
    { domain: 'site.test', page: '/t/site.html' },
    { domain: 'gone.test', page: '/t/gone.html' },
  ];
  const conf = renderNginx(settings, routes, maintenance);
  assert.match(
    conf,
    /map \$server_name \$porter_maintenance \{\n {4}default "";\n {4}"site\.test" "\/t\/site\.html";\n\}/,
  );
  assert.doesNotMatch(conf, /gone\.test/, 'a name no server has is not mapped');
  assert.match(conf, /"site\.test" "varnish";/, 'the site is in the log maps');
  assert.match(conf, /listen 127\.0\.0\.1:8080 default_server;/);
  assert.match(conf, /location = \/_status_ \{\n\s+stub_status;[^}]*allow 127\.0\.0\.1;\n\s+deny all;/);
  for (const own of [
    'worker_processes',
    'events {',
    'http {',
    'default_type application',
    'server_tokens',
    '_temp_path',
  ])
    assert.ok(!conf.includes(own), `${own} is the nginx part's`);
  assert.match(
    conf,
    /server_name a\.test www\.a\.test;[^]*if \(\$porter_paused\) \{ rewrite \^ \/\.porter\/maintenance last; \}/,
  );
});
