/**
 * Rendering a porter's nginx.conf: deterministic, a generation that changes with the content,
 * the developer servers each pool address gets, and the names they reserve.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { nginxLayout } from '../nginx/public';
import type { Pool } from './routes';
import { generationOf, renderNginx } from './render-nginx';
import { developerServers, reservedNames, type PorterSettings } from './settings';
import { effectiveRoutes, emptyOverlay } from './table';

const pools: Pool[] = [
  {
    name: 'app',
    external: true,
    addresses: [
      { host: '127.0.0.1', port: 8081 },
      { host: '127.0.0.1', port: 8082 },
      { host: '127.0.0.2', port: 8081 },
    ],
  },
];
const settings: PorterSettings = {
  format: 1,
  name: 'porter',
  nginx: '/usr/sbin/nginx',
  layout: nginxLayout('/t/var/porter/porter', '/t/parts/porter/nginx.conf'),
  accessLog: '/t/var/porter/porter/log/access.log',
  overlay: '/t/o.json',
  lock: '/t/o.lock',
  pages: '/t/pages',
  listen: [{ host: '127.0.0.1', port: 8080 }],
  workers: '1',
  pools,
  routes: [{ domains: ['a.test'], backend: 'app', kind: 'http' }],
  developer: { domain: 'dev.test', allow: [] },
  connectTimeout: 5,
  readTimeout: 60,
};
const render = (s: PorterSettings): string => renderNginx(s, effectiveRoutes(s.routes, emptyOverlay(), s.pools));

test('rendering is deterministic; the generation changes with the content and is what the probe answers', () => {
  const one = render(settings);
  assert.equal(render(settings), one);
  assert.equal(generationOf(one), generationOf(render(settings)));
  assert.notEqual(generationOf(one), generationOf(render({ ...settings, readTimeout: 61 })));
  assert.match(one, new RegExp(`return 200 "${generationOf(one)}\\\\n";`));
});

test('developer servers: one per distinct port of a pool, the pool name on the first; their names are reserved', () => {
  const servers = developerServers(settings).map((s) => s.names);
  assert.deepEqual(servers, [['app_8081.dev.test', 'app.dev.test'], ['app_8082.dev.test']], 'none for 127.0.0.2:8081');
  const first = /server_name app_8081\.dev\.test app\.dev\.test;\n\s+location \/ \{/;
  assert.match(render(settings), first, 'developer-allow = all: no allow/deny lines');
  assert.deepEqual([...reservedNames(settings).keys()], ['app_8081.dev.test', 'app.dev.test', 'app_8082.dev.test']);
  const without = { ...settings, developer: { domain: '', allow: [] } };
  assert.deepEqual(developerServers(without), [], 'no developer domain, no servers');
});

test('TLS: nothing without HTTPS addresses; with them, every route and the default server answer by SNI', () => {
  assert.doesNotMatch(render(settings), /ssl/);
  const https = {
    ...settings,
    https: [{ host: '127.0.0.1', port: 8443 }],
    hsts: 0,
    tlsDir: '/t/tls',
    routes: [{ domains: ['a.test'], backend: 'app', kind: 'http' as const, httpsOnly: true }],
  };
  const conf = render(https);
  assert.match(conf, /listen 127\.0\.0\.1:8443 ssl default_server;\n\s+ssl_certificate "\/t\/tls\/_default\.crt";/);
  assert.match(conf, /ssl_protocols TLSv1\.2 TLSv1\.3;/);
  assert.match(conf, /listen 127\.0\.0\.1:8443 ssl;\n\s+ssl_certificate "\/t\/tls\/a\.test\.crt";\n/);
  assert.match(conf, /ssl_certificate_key "\/t\/tls\/a\.test\.key";/);
  assert.match(conf, /return 301 https:\/\/\$host:8443\$request_uri;/);
  assert.doesNotMatch(conf, /Strict-Transport-Security/, 'hsts = 0 sends none');
  assert.match(render({ ...https, hsts: 600 }), /on "max-age=600";/);
});
