/**
 * The example's front door end to end: the one nginx of the example (front-door = on), started by
 * its process manager with the whole chain behind it, routes the public host to the Plone chain,
 * the demo domain to the demo backend, and parks every other name over HTTP and HTTPS. bin/porter
 * maintenance switches a site to its 503 page and back under a bounded load loop, and route
 * changes run under keep-alive load: no request on a fresh connection may fail, nor any on a
 * keep-alive one but the reset of a reused idle connection that nginx's reload closes (counted
 * and printed; docs/notes/keep-alive-reload.md). The maintenance loop sends such a GET again once
 * on a new connection, as RFC 9112 9.3.1 allows and browsers do, and then nothing may fail.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SupervisedExample } from '../helpers/supervised-example';
import { request } from '../helpers/http-probe';
import { getHttps, presented } from '../helpers/certificates';
import { LoadLoop, type Sample } from '../helpers/load';
import { waitFor } from '../helpers/wait';

let example: SupervisedExample;
const ports = (): SupervisedExample['stack']['ports'] => example.stack.ports;
const url = (p: string): string => `http://127.0.0.1:${ports().http}${p}`;

before(
  async () => {
    example = await SupervisedExample.assemble();
    const started = await example.supervisord();
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

async function porter(...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  const result = await example.run('porter', args, 60_000);
  return result;
}

test('one nginx routes by Host: the public host to the chain, demo.localhost to the demo backend, the rest parked', async () => {
  const site = await request(url('/'), { headers: { host: 'localhost' } });
  assert.equal(site.status, 200, site.body);
  assert.match(String(site.headers.via), /varnish/, 'through varnish');
  const demo = await request(url('/x'), { headers: { host: 'demo.localhost' } });
  assert.equal(demo.status, 200, demo.body);
  assert.equal(demo.headers['x-instance'], 'demo');
  assert.match(demo.body, /<h1>demo\.localhost<\/h1>/);
  const parked = await request(url('/'), { headers: { host: 'nosuch.example' } });
  assert.equal(parked.status, 404);
  assert.match(parked.body, /nosuch\.example/, 'the parked page names the domain');
  assert.doesNotMatch(parked.body, /Plone|demo site/i);
  // over HTTPS: unknown names get the parked page under the default certificate, by SNI
  const parkedTls = await getHttps(ports().https, 'nosuch.example');
  assert.equal(parkedTls.status, 404);
  const unknown = await presented(ports().https, 'nosuch.example');
  const own = await presented(ports().https, 'localhost');
  const demoTls = await presented(ports().https, 'demo.localhost');
  assert.equal(unknown.subjectName, 'porter-default.invalid');
  assert.equal(demoTls.subjectName, 'demo.localhost', 'the demo route has its own self-signed certificate');
  const siteCert = readFileSync(path.join(example.dir, 'etc', 'nginx.crt'), 'utf8');
  assert.match(siteCert, /BEGIN CERTIFICATE/);
  assert.equal(own.subjectName, 'localhost', "the site keeps the nginx part's certificate");
  // one nginx master listens on the front addresses
  const programs = await example.status();
  assert.deepEqual(
    programs.filter((p) => /nginx|porter/.test(p.name)).map((p) => p.name),
    ['nginx'],
  );
  const listed = await porter('list');
  assert.equal(listed.status, 0, listed.stderr);
  assert.match(listed.stdout, /\nlocalhost\s+-\s+unix:\S+varnish\.sock\s+site\s/);
  assert.match(listed.stdout, /\ndemo\.localhost\s+-\s+demo \(127\.0\.0\.1:\d+\)\s+http\s/);
});

/**
 * A bounded load loop on both sites: fresh connections, and keep-alive ones. With `retry`, a
 * GET whose reused idle connection the old workers closed is sent again once on a new connection
 * (RFC 9112 9.3.1; browsers do) and marked `retried`; without, the reset is the answer.
 */
function loops(retry: boolean): LoadLoop[] {
  const hosts = ['localhost', 'demo.localhost'];
  const common = { port: ports().http, hosts, path: '/', maxMs: 60_000, maxRequests: 20_000 };
  return [new LoadLoop({ ...common, workers: 2 }), new LoadLoop({ ...common, workers: 2, keepAlive: true, retry })];
}

const isMaintenance = (s: Sample): boolean => s.status === 503 && /down for maintenance/.test(s.body ?? '');

test('maintenance on and off under load: at once, zero failed requests, listed', { timeout: 120_000 }, async () => {
  const running = loops(true);
  try {
    await waitFor(() => running.every((loop) => loop.samples.length > 20), { what: 'load', timeoutMs: 20_000 });
    const on = await porter('maintenance', 'localhost', 'on');
    assert.equal(on.status, 0, on.stderr);
    assert.match(on.stdout, /localhost is in maintenance \(page .*maintenance\.html\)\nlive after \d+ ms/);
    const onAt = Date.now();
    const listed = await porter('list');
    assert.match(listed.stdout, /\nlocalhost\s.*\son \(\S+maintenance\.html\)\s+the site of \[nginx\]/);
    const direct = await request(url('/db'), { method: 'POST', headers: { host: 'localhost' } });
    assert.equal(direct.status, 503, 'any method gets the page');
    assert.match(direct.body, /localhost is down for maintenance/);
    await waitFor(() => running.every((loop) => loop.samples.filter((s) => s.startedAt > onAt).length > 20), {
      what: 'load during maintenance',
      timeoutMs: 20_000,
    });
    const off = await porter('maintenance', 'localhost', 'off');
    assert.equal(off.status, 0, off.stderr);
    const offAt = Date.now();
    await waitFor(() => running.every((loop) => loop.samples.filter((s) => s.startedAt > offAt).length > 20), {
      what: 'load after maintenance',
      timeoutMs: 20_000,
    });
  } finally {
    await Promise.all(running.map((loop) => loop.stop()));
  }
  const samples = running.flatMap((loop) => loop.samples);
  const failed = samples.filter((s) => !(s.status === 200 || isMaintenance(s)));
  assert.deepEqual(
    failed.map((s) => `${s.host}: ${s.error ?? s.status} (${s.connection ?? ''})`),
    [],
    `${samples.length} requests: only 200 or the maintenance page`,
  );
  const demoPaused = samples.filter((s) => s.host === 'demo.localhost' && s.status !== 200);
  assert.deepEqual(demoPaused, [], 'the other site is untouched');
  const paused = samples.filter(isMaintenance);
  assert.ok(paused.length > 20, `${paused.length} answers were the maintenance page`);
  const retried = samples.filter((s) => s.retried).length;
  console.log(
    `maintenance under load: ${samples.length} requests (${running[0].samples.length} on fresh connections), ` +
      `${paused.length} maintenance pages, 0 failed; ${retried} GETs on a reused keep-alive connection were ` +
      'reset by the reload and answered on a new one',
  );
});

test(
  'route changes under keep-alive load: every request answered, resets of reused connections measured',
  { timeout: 180_000 },
  async () => {
    const running = loops(false);
    const changes = [
      ['add', 'extra.localhost', 'demo'],
      ['move', 'extra.localhost', 'demo'],
      ['remove', 'extra.localhost'],
      ['maintenance', 'demo.localhost', 'on'],
      ['maintenance', 'demo.localhost', 'off'],
      ['apply'],
    ];
    const rounds = 3;
    try {
      await waitFor(() => running.every((loop) => loop.samples.length > 20), { what: 'load', timeoutMs: 20_000 });
      for (let round = 0; round < rounds; round++) {
        for (const change of changes) {
          const result = await porter(...change);
          assert.equal(result.status, 0, `${change.join(' ')}: ${result.stderr}`);
          const at = Date.now();
          await waitFor(() => running.every((loop) => loop.samples.filter((s) => s.startedAt > at).length > 5), {
            what: `load after ${change.join(' ')}`,
            timeoutMs: 20_000,
          });
        }
      }
    } finally {
      await Promise.all(running.map((loop) => loop.stop()));
    }
    const [fresh, keepAlive] = running.map((loop) => loop.samples);
    const ok = (s: Sample): boolean => s.status === 200 || isMaintenance(s);
    const freshFailed = fresh.filter((s) => !ok(s));
    assert.deepEqual(
      freshFailed.map((s) => `${s.host}: ${s.error ?? s.status}`),
      [],
      `${fresh.length} requests on fresh connections`,
    );
    const resets = keepAlive.filter((s) => s.error === 'ECONNRESET' && s.connection === 'reused');
    const other = keepAlive.filter((s) => !ok(s) && !resets.includes(s));
    assert.deepEqual(
      other.map((s) => `${s.host}: ${s.error ?? s.status} (${s.connection ?? ''})`),
      [],
      'on keep-alive connections nothing fails but a reset reused connection',
    );
    const reloads = rounds * changes.length;
    console.log(
      `route changes under keep-alive load: ${reloads} graceful reloads, ${fresh.length} requests on fresh ` +
        `connections (0 failed), ${keepAlive.length} on keep-alive connections: ${resets.length} resets of a reused ` +
        `idle connection (${(resets.length / reloads).toFixed(2)} per reload; a client that retries an idempotent ` +
        `request, as RFC 9112 9.3.1 allows, loses none), 0 other failures`,
    );
  },
);
