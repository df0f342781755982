/**
 * Porter end to end: a real nginx started from the program the recipe declares, three real HTTP
 * backends, requests with different Host headers. Routing by domain, aliases and wildcards, Zope
 * virtual hosting, the parked page, developer access, the per-site error pages (502, 503, 504),
 * the JSON access log and its copy sent to a syslog listener.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { freePort } from '../helpers/ports';
import { get, porterDeployment, programOf, startBackend, startProgram, type Backend } from '../helpers/porter';
import { waitFor } from '../helpers/wait';

interface LogLine {
  domain: string;
  route: string;
  backend: string;
  upstream: string;
  status: number;
  bytes: number;
  request_time: number;
  upstream_time: string;
  method: string;
  uri: string;
  client: string;
  time: string;
}

test(
  'porter routes by Host to real backends, with virtual hosting, parked and error pages, and logs every request',
  { timeout: 240_000 },
  async (t) => {
    const backends: Backend[] = [];
    t.after(() => Promise.all(backends.map((b) => b.stop())));
    for (const name of ['alpha', 'beta', 'gamma']) backends.push(await startBackend(name));
    const [alpha, beta, gamma] = backends;
    const syslog = dgram.createSocket('udp4');
    const messages: string[] = [];
    syslog.on('message', (message) => messages.push(message.toString()));
    await new Promise<void>((resolve) => syslog.bind(0, '127.0.0.1', resolve));
    t.after(() => syslog.close());
    const port = await freePort();
    const d = porterDeployment(`[buildout]
parts = porter
[porter]
recipe = porter
listen = 127.0.0.1:${port}
workers = 2
read-timeout = 2
external-pools =
    alpha ${alpha.address}
    gamma ${gamma.address}
routes =
    a.test www.a.test -> alpha
    b.test -> ${beta.address} http
    *.c.test -> gamma zope Plone
    plone.test -> gamma zope sites/Plone
developer-domain = dev.test
syslog = 127.0.0.1:${(syslog.address() as AddressInfo).port}
`);
    t.after(() => d.cleanup());
    const assembled = d.run();
    assert.equal(assembled.status, 0, assembled.stderr);
    const nginx = await startProgram(programOf(d));
    t.after(() => nginx.stop());

    await t.test('domains and aliases reach their backend with the request untouched', async () => {
      for (const [host, backend] of [
        ['a.test', 'alpha'],
        ['www.a.test', 'alpha'],
        ['WWW.A.TEST', 'alpha'],
        ['b.test', 'beta'],
      ]) {
        const answer = await get(port, host, '/some/page?x=1&y=%2F');
        assert.equal(answer.status, 200, `${host}: ${answer.body}`);
        assert.equal(answer.json?.backend, backend, host);
        assert.equal(answer.json?.url, '/some/page?x=1&y=%2F', `${host}: the path and query pass untouched`);
        assert.equal(answer.json?.host, host, `${host}: the Host header passes untouched`);
      }
    });

    await t.test('zope routes get the VirtualHostMonster path; a wildcard matches subdomains only', async () => {
      for (const host of ['x.c.test', 'deep.x.c.test']) {
        const answer = await get(port, host, '/folder/page?x=1');
        assert.equal(answer.json?.backend, 'gamma', host);
        assert.equal(answer.json?.url, `/VirtualHostBase/http/${host}:${port}/Plone/VirtualHostRoot/folder/page?x=1`);
      }
      assert.equal(
        (await get(port, 'plone.test', '/')).json?.url,
        `/VirtualHostBase/http/plone.test:${port}/sites/Plone/VirtualHostRoot/`,
      );
      const bare = await get(port, 'c.test', '/');
      assert.equal(bare.status, 404, '*.c.test does not cover c.test itself');
    });

    await t.test('an unknown domain (or a bare IP) gets the parked page: 404, not cacheable', async () => {
      for (const host of ['nope.test', '127.0.0.1', `127.0.0.1:${port}`]) {
        const answer = await get(port, host, '/anything');
        assert.equal(answer.status, 404, host);
        assert.match(answer.body, /is not served here/);
        assert.equal(answer.headers['cache-control'], 'no-store');
      }
      assert.match(
        (await get(port, 'nope.test')).body,
        /<h1>nope\.test is not served here<\/h1>/,
        'the page names the domain',
      );
    });

    await t.test(
      'developer access: POOL and POOL_PORT under the developer domain, straight to the instance, known ones only',
      async () => {
        const direct = await get(port, 'gamma.dev.test', '/manage_main');
        assert.equal(direct.json?.backend, 'gamma');
        assert.equal(direct.json?.url, '/manage_main', 'no virtual-hosting rewrite');
        assert.equal((await get(port, `gamma_${gamma.port}.dev.test`, '/x')).json?.backend, 'gamma');
        assert.equal((await get(port, `alpha_${alpha.port}.dev.test`, '/x')).json?.backend, 'alpha');
        for (const host of [
          'alpha_1.dev.test',
          `beta_${beta.port}.dev.test`,
          'beta.dev.test',
          `evil.test_${alpha.port}.dev.test`,
        ]) {
          assert.equal(
            (await get(port, host)).status,
            404,
            `${host} is not a known pool instance: parked, never proxied`,
          );
        }
        const outsider = await get(port, 'alpha.dev.test', '/', { localAddress: '127.0.0.2' });
        assert.equal(outsider.status, 403, 'developer-allow defaults to loopback: 127.0.0.2 is refused');
      },
    );

    await t.test("backend errors: its own 404 passes, its 503 and a timeout get the site's page", async () => {
      const own404 = await get(port, 'a.test', '/status/404');
      assert.equal(own404.status, 404);
      assert.equal(own404.body, 'alpha answers 404 itself\n');
      const own503 = await get(port, 'www.a.test', '/status/503');
      assert.equal(own503.status, 503);
      assert.match(own503.body, /<h1>www\.a\.test is temporarily unavailable<\/h1>/);
      const slow = await get(port, 'a.test', '/slow');
      assert.equal(slow.status, 504);
      assert.match(slow.body, /<h1>a\.test is taking too long to answer<\/h1>/);
    });

    await t.test("a stopped backend gives its site's 502 page; the other sites go on", async () => {
      await beta.stop();
      const down = await get(port, 'b.test', '/');
      assert.equal(down.status, 502);
      assert.match(down.body, /<h1>b\.test is temporarily unavailable<\/h1>/);
      assert.doesNotMatch(down.body, /nginx/i, "not nginx's default page");
      assert.equal(down.headers['cache-control'], 'no-store');
      assert.equal((await get(port, 'a.test')).json?.backend, 'alpha');
    });

    await t.test('one JSON access-log line per request, also sent to syslog', async () => {
      const log = (): LogLine[] =>
        d
          .read('var/porter/porter/log/access.log')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as LogLine);
      await waitFor(() => log().some((l) => l.status === 502), { what: 'the 502 request in the access log' });
      const lines = log();
      const ok = lines.find((l) => l.domain === 'www.a.test' && l.uri === '/some/page?x=1&y=%2F')!;
      assert.equal(ok.route, 'a.test');
      assert.equal(ok.backend, 'alpha');
      assert.equal(ok.upstream, alpha.address);
      assert.equal(ok.status, 200);
      assert.equal(ok.method, 'GET');
      assert.equal(ok.client, '127.0.0.1');
      assert.ok(ok.bytes > 50 && typeof ok.request_time === 'number', JSON.stringify(ok));
      assert.match(ok.upstream_time, /^\d+\.\d{3}$/);
      assert.match(ok.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$/);
      const parked = lines.find((l) => l.domain === 'nope.test')!;
      assert.deepEqual([parked.route, parked.backend, parked.status, parked.upstream_time], ['-', '-', 404, '']);
      const down = lines.find((l) => l.status === 502)!;
      assert.deepEqual([down.domain, down.backend, down.upstream], ['b.test', beta.address, beta.address]);
      assert.equal(lines.find((l) => l.domain === 'gamma.dev.test')?.route, 'developer');
      await waitFor(() => messages.length >= lines.length, {
        what: 'syslog copies of every line',
        detail: () => `${messages.length} of ${lines.length}`,
      });
      const sent = messages.map((m) => {
        const match = /^<(\d+)>\w{3} [ \d]\d \d\d:\d\d:\d\d porter: (\{.*\})$/.exec(m);
        assert.ok(match, `a syslog line with the tag: ${m}`);
        assert.equal(Number(match[1]), 23 * 8 + 6, 'facility local7, severity info');
        return JSON.parse(match[2]) as LogLine;
      });
      assert.deepEqual(
        sent.map((l) => `${l.domain} ${l.uri} ${l.status}`).sort(),
        lines.map((l) => `${l.domain} ${l.uri} ${l.status}`).sort(),
      );
    });
  },
);
