/**
 * The panel's program table laid out by a real browser (Debian's chromium, headless, through
 * playwright-core) at several window widths, on a deployment shaped like the example stack
 * (nginx on two addresses, a program killed by SIGKILL, a long program name). In every row,
 * header included, the cells' bounding boxes must not overlap, and no cell's content (its text,
 * line by line, and its buttons) may stick out of the cell's content box; the page itself must
 * not scroll sideways.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePorts } from '../helpers/ports';
import { ROOT_FIXTURES, serverLine, withSupervised } from '../helpers/supervisor';
import { waitFor } from '../helpers/wait';
import { CHROMIUM, launchChromium } from '../helpers/chromium';

const WIDTHS = [1600, 1300, 1024, 800];

/** A browser script (an expression) listing every overlap and overflow in the table. */
const LAYOUT_PROBLEMS = readFileSync(path.join(ROOT_FIXTURES, 'panel', 'layout-problems.js'), 'utf8');

test(
  'panel layout in headless Chromium: no two cells of a row overlap and no text overflows its cell, at 1600, ' +
    '1300, 1024 and 800 px',
  { timeout: 180_000, skip: !existsSync(CHROMIUM) && `missing ${CHROMIUM}` },
  async () => {
    const ports = await freePorts(10);
    const [panel, memcached, mysql, instance1, instance2, longName, varnish, haproxy, http, https] = ports;
    await withSupervised(
      `[buildout]
parts = supervisor
[supervisor]
recipe = supervisor
port = 127.0.0.1:${panel}
user = admin
password = secret
programs =
    ${serverLine(0, 'memcached', memcached, { extra: 'type=memcached' })}
    ${serverLine(0, 'mysql', mysql, { extra: 'type=mariadb' })}
    ${serverLine(10, 'instance1', instance1, { extra: 'type=zope' })}
    ${serverLine(10, 'instance2', instance2, { extra: 'type=zope' })}
    ${serverLine(10, 'zeo-storage-primary-instance', longName, { extra: 'type=zope' })}
    ${serverLine(10, 'varnish', varnish, { extra: 'type=varnish' })}
    ${serverLine(20, 'haproxy', haproxy, { extra: 'type=haproxy' })}
    ${serverLine(40, 'nginx', http, { extra: `type=nginx listen=127.0.0.1:${https}` })}
`,
      async (d) => {
        d.assembleOrFail();
        d.startOrFail();
        // an exit column that reads "killed by SIGKILL", as after an OOM kill
        process.kill(d.program('instance2').pid as number, 'SIGKILL');
        await waitFor(() => d.program('instance2').restarts >= 1, {
          what: 'the agent to restart instance2',
          timeoutMs: 20_000,
          intervalMs: 100,
        });
        assert.equal(d.program('instance2').lastExit, 'killed by SIGKILL');

        const browser = await launchChromium();
        try {
          const page = await browser.newPage({ viewport: { width: 1300, height: 900 } });
          page.setDefaultTimeout(20_000);
          await page.goto(`http://127.0.0.1:${panel}/`);
          await page.fill('input[name=user]', 'admin');
          await page.fill('input[name=password]', 'secret');
          await page.click('button[type=submit]');
          await page.locator('tr[data-program=nginx][data-state=RUNNING]').waitFor();
          await page.locator('tr[data-program=instance2] td', { hasText: 'killed by SIGKILL' }).waitFor();
          assert.match(
            await page.locator('tr[data-program=nginx]').innerText(),
            new RegExp(`127\\.0\\.0\\.1:${http}\\s+127\\.0\\.0\\.1:${https}`),
          );
          const found: string[] = [];
          for (const width of WIDTHS) {
            await page.setViewportSize({ width, height: 900 });
            await page.evaluate(
              'new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve)))',
            );
            const problems = (await page.evaluate(LAYOUT_PROBLEMS)) as string[];
            found.push(...problems.map((p) => `${width} px: ${p}`));
            await page.screenshot({ path: d.path(`panel-${width}.png`), fullPage: true });
          }
          assert.deepEqual(found, []);
        } finally {
          await browser.close();
        }
      },
    );
  },
);
