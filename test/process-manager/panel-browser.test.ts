/**
 * The control panel in a real browser (Debian's chromium, headless, driven by playwright-core):
 * log in (a wrong password is refused), see every program live, stop an instance and see it
 * stopped in the panel and DOWN in the stats page of a real haproxy balancing the instances,
 * start it again and see it come back in both. Then the protections, by hand: no session, no
 * CSRF token, a foreign Origin, a foreign Host; the panel listens on its address only; the
 * password is never sent back.
 * The second test does the operator's round on the real example stack (deployment.cfg, all nine
 * daemons under bin/supervisord): stop instance2 from the panel, STOPPED there and DOWN in the
 * stack's own HAProxy stats page (opened from the panel's link, behind its password), the site
 * still answering; start it, RUNNING and UP; the nginx status link answers.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as http from 'node:http';
import { freePorts, isListening } from '../helpers/ports';
import { serverLine, withSupervised } from '../helpers/supervisor';
import { SupervisedExample } from '../helpers/supervised-example';
import { waitFor } from '../helpers/wait';
import * as path from 'node:path';
import { CHROMIUM, launchChromium } from '../helpers/chromium';

const HAPROXY = '/usr/sbin/haproxy';

function request(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${port}`, ...options.headers },
      },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const missing = [CHROMIUM, HAPROXY].filter((f) => !existsSync(f));

/** Reloads HAProxy's stats page until the row of `server` matches `pattern` (15 s at most). */
async function waitForStatsRow(
  statsPage: import('playwright-core').Page,
  server: string,
  pattern: RegExp,
): Promise<void> {
  let text = '';
  await waitFor(
    async () => {
      await statsPage.reload();
      text = await statsPage.locator('tr', { hasText: server }).first().innerText();
      return pattern.test(text);
    },
    {
      what: `HAProxy's stats row for ${server} to match ${pattern}`,
      timeoutMs: 15_000,
      intervalMs: 250,
      detail: () => text,
    },
  );
}

test(
  'control panel in headless Chromium: log in, stop an instance (panel and HAProxy stats agree), start it again',
  { timeout: 180_000, skip: missing.length > 0 && `missing ${missing.join(', ')}` },
  async () => {
    const [panel, web1, web2, front, stats] = await freePorts(5);
    await withSupervised('', async (d) => {
      d.write(
        'etc/haproxy.cfg',
        `global
    maxconn 100
defaults
    mode http
    timeout connect 1s
    timeout client 5s
    timeout server 5s
frontend www
    bind 127.0.0.1:${front}
    default_backend instances
backend instances
    option httpchk GET /
    default-server inter 200ms fastinter 200ms downinter 200ms fall 1 rise 1
    server web1 127.0.0.1:${web1} check
    server web2 127.0.0.1:${web2} check
listen stats
    bind 127.0.0.1:${stats}
    stats enable
    stats uri /
`,
      );
      d.write(
        'buildout.cfg',
        `[buildout]
parts = supervisor
[supervisor]
recipe = supervisor
port = 127.0.0.1:${panel}
user = operator
password = s3cret-Panel
monitor-interval = 1
links =
    HAProxy stats http://127.0.0.1:${stats}/
programs =
    ${serverLine(10, 'web1', web1)}
    ${serverLine(10, 'web2', web2)}
    20 haproxy (type=haproxy listen=127.0.0.1:${front} stopasgroup=false) ${HAPROXY} [-db -f \${buildout:directory}/etc/haproxy.cfg]
`,
      );
      d.assembleOrFail();
      const start = d.supervisord();
      assert.equal(start.status, 0, start.stderr);
      const browser = await launchChromium();
      try {
        const context = await browser.newContext();
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        await page.goto(`http://127.0.0.1:${panel}/`);
        await page.fill('input[name=user]', 'operator');
        await page.fill('input[name=password]', 'wrong');
        await page.click('button[type=submit]');
        await page.getByRole('alert').filter({ hasText: 'Wrong user or password.' }).waitFor();
        await page.fill('input[name=user]', 'operator');
        await page.fill('input[name=password]', 's3cret-Panel');
        await page.click('button[type=submit]');
        for (const name of ['web1', 'web2', 'haproxy'])
          await page.locator(`tr[data-program=${name}][data-state=RUNNING]`).waitFor();
        assert.doesNotMatch(await page.content(), /s3cret-Panel/);

        // stop an instance from the panel
        await page.click('tr[data-program=web1] button[data-action=stop]');
        await page.locator('tr[data-program=web1][data-state=STOPPED]').waitFor();
        await page.locator('#message', { hasText: /stopped web1 in \d+ ms/ }).waitFor();
        assert.equal(d.program('web1').state, 'STOPPED');
        // ... and see it DOWN in HAProxy's stats, opened from the panel's link
        const [statsPage] = await Promise.all([context.waitForEvent('page'), page.click('text=HAProxy stats')]);
        const waitRow = (pattern: RegExp): Promise<void> => waitForStatsRow(statsPage, 'web1', pattern);
        await waitRow(/\bDOWN\b/);
        assert.match(await statsPage.locator('tr', { hasText: 'web2' }).first().innerText(), /\bUP\b/);

        // start it again
        await page.click('tr[data-program=web1] button[data-action=start]');
        await page.locator('tr[data-program=web1][data-state=RUNNING]').waitFor();
        await waitRow(/\bUP\b/);
        // the history chart has samples to draw
        await page.click('tr[data-program=web2] button[data-action=details]');
        await page.locator('#chart-usage canvas').waitFor();
        await page.screenshot({ path: d.path('panel.png'), fullPage: true });

        // the protections, by hand, with the browser's own session
        const cookie = (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
        const csrf = await page.locator('meta[name=csrf]').getAttribute('content');
        assert.equal((await request(panel, '/api/status')).status, 401);
        const status = await request(panel, '/api/status', { headers: { cookie } });
        assert.equal(status.status, 200);
        assert.doesNotMatch(status.body, /s3cret-Panel/);
        assert.equal(
          (await request(panel, '/api/programs/web2/stop', { method: 'POST', headers: { cookie } })).status,
          403,
        );
        assert.equal(
          (
            await request(panel, '/api/programs/web2/stop', {
              method: 'POST',
              headers: { cookie, 'x-csrf-token': csrf!, origin: 'http://evil.example' },
            })
          ).status,
          403,
        );
        assert.equal(
          (
            await request(panel, '/api/programs/web2/stop', {
              method: 'POST',
              headers: { cookie, 'x-csrf-token': csrf!, host: `evil.example:${panel}` },
            })
          ).status,
          421,
        );
        assert.equal(d.program('web2').state, 'RUNNING', 'no refused request stopped anything');
        const allowed = await request(panel, '/api/programs/web2/restart', {
          method: 'POST',
          headers: { cookie, 'x-csrf-token': csrf!, origin: `http://127.0.0.1:${panel}` },
        });
        assert.equal(allowed.status, 200, allowed.body);
        assert.equal(await isListening(panel, '127.0.0.2'), false, 'the panel listens on 127.0.0.1 only');
      } finally {
        await browser.close();
      }
    });
  },
);

test(
  'control panel of the example stack in headless Chromium: stop an instance, STOPPED in the panel and DOWN in ' +
    "the stack's HAProxy stats, start it, RUNNING and UP",
  { timeout: 300_000, skip: missing.length > 0 && `missing ${missing.join(', ')}` },
  async () => {
    const example = await SupervisedExample.assemble();
    try {
      const started = await example.supervisord();
      assert.equal(started.status, 0, started.stderr);
      const panel = example.stack.ports.supervisor;
      const browser = await launchChromium();
      try {
        // the stats page is behind HTTP basic auth (deployment.cfg's [users]/[passwords]); the panel has its own login
        // form
        const context = await browser.newContext({ httpCredentials: { username: 'admin', password: 'secret' } });
        const page = await context.newPage();
        page.setDefaultTimeout(20_000);
        await page.goto(`http://127.0.0.1:${panel}/`);
        await page.fill('input[name=user]', 'admin');
        await page.fill('input[name=password]', 'secret');
        await page.click('button[type=submit]');
        for (const name of [
          'memcached',
          'mysql',
          'instance1',
          'instance2',
          'instance3',
          'instance4',
          'varnish',
          'haproxy',
          'nginx',
        ]) {
          await page.locator(`tr[data-program=${name}][data-state=RUNNING]`).waitFor();
        }
        const [statsPage] = await Promise.all([context.waitForEvent('page'), page.click('text=HAProxy stats')]);
        const waitRow = (pattern: RegExp): Promise<void> => waitForStatsRow(statsPage, 'instance2', pattern);
        await waitRow(/\bUP\b/);

        await page.click('tr[data-program=instance2] button[data-action=stop]');
        await page.locator('tr[data-program=instance2][data-state=STOPPED]').waitFor();
        await page.locator('#message', { hasText: /stopped instance2 in \d+ ms/ }).waitFor();
        assert.equal((await example.program('instance2')).state, 'STOPPED');
        await waitRow(/\bDOWN\b/);
        assert.match(
          await statsPage.locator('tr', { hasText: 'instance3' }).first().innerText(),
          /\bUP\b/,
          'the others stay up',
        );
        // the site still answers through the remaining instances
        assert.equal((await request(example.stack.ports.http, '/', { headers: { host: 'localhost' } })).status, 200);

        await page.click('tr[data-program=instance2] button[data-action=start]');
        await page.locator('tr[data-program=instance2][data-state=RUNNING]').waitFor();
        await waitRow(/\bUP\b/);
        assert.equal((await example.program('instance2')).state, 'RUNNING');
        // the nginx status link from the panel works too
        const [statusPage] = await Promise.all([context.waitForEvent('page'), page.click('text=nginx status')]);
        await statusPage.waitForLoadState();
        assert.match(await statusPage.content(), /Active connections/);
        await page.screenshot({ path: path.join(example.dir, 'panel-example.png'), fullPage: true });
      } finally {
        await browser.close();
      }
    } finally {
      await example.teardown();
    }
  },
);
