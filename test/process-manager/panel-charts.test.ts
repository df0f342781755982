/**
 * The panel's history charts (uPlot, served by the agent) in headless Chromium: a program that
 * crashes and is restarted gives cpu, memory, restarts and events to draw. The test checks that
 * the library came from the agent (no other origin asked), that each chart has its time axis and
 * value axes with tick labels and units, a legend, the event marks' legend, the range picker,
 * and that no two label boxes overlap: the DOM's (legends, titles, buttons) by their bounding
 * boxes, the axes' tick labels (drawn on the canvas) by their positions from uPlot and their
 * widths measured with the canvas's own font. Under "Other nodes": a peer that answers, with its
 * role and its programs, and one that does not listen, down with the reason.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { freePorts } from '../helpers/ports';
import { serverLine, supervisorPart, withSupervised } from '../helpers/supervisor';
import { waitFor } from '../helpers/wait';
import { CHROMIUM, launchChromium } from '../helpers/chromium';

type Box = { x: number; y: number; width: number; height: number; text: string };

function overlaps(a: Box, b: Box): boolean {
  return (
    a.x < b.x + b.width - 0.5 && b.x < a.x + a.width - 0.5 && a.y < b.y + b.height - 0.5 && b.y < a.y + a.height - 0.5
  );
}

function assertNoOverlap(boxes: Box[], what: string): void {
  for (let i = 0; i < boxes.length; i++)
    for (let j = i + 1; j < boxes.length; j++)
      assert.ok(!overlaps(boxes[i], boxes[j]), `${what}: "${boxes[i].text}" overlaps "${boxes[j].text}"`);
}

test(
  'panel charts in headless Chromium: uPlot from the agent, time and value axes with units, legends, range picker, no label overlaps',
  { timeout: 150_000, skip: !existsSync(CHROMIUM) && `missing ${CHROMIUM}` },
  async () => {
    const [panel, web, crasher, gone, livePanel, liveWeb] = await freePorts(6);
    const token = 'agent-token = panel-charts-token-0123456789\n';
    // a peer that answers: its programs and its role under "Other nodes"
    await withSupervised(
      `[buildout]\nparts = supervisor\n${supervisorPart(livePanel)}${token}node = live\nnode-role = appserver\nprograms =\n    ${serverLine(10, 'live-web', liveWeb)}\n`,
      async (live) => {
        live.assembleOrFail();
        live.startOrFail();
        await withSupervised(
          `[buildout]
parts = supervisor
${supervisorPart(panel)}monitor-interval = 1
startretries = 100
${token}peers =
    gone=http://127.0.0.1:${gone}
    live=http://127.0.0.1:${livePanel}
programs =
    ${serverLine(10, 'web', web)}
    ${serverLine(10, 'crasher', crasher, { exitAfterMs: 1500, extra: 'startsecs=0' })}
`,
          async (d) => {
            d.assembleOrFail();
            d.startOrFail();
            await waitFor(() => d.program('crasher').restarts >= 2, {
              what: 'crasher restarted twice',
              timeoutMs: 60_000,
              intervalMs: 500,
            });
            const browser = await launchChromium();
            try {
              const page = await (await browser.newContext({ viewport: { width: 1300, height: 1000 } })).newPage();
              page.setDefaultTimeout(20_000);
              const origins = new Set<string>();
              page.on('request', (r) => origins.add(new URL(r.url()).origin));
              await page.goto(`http://127.0.0.1:${panel}/`);
              await page.fill('input[name=user]', 'admin');
              await page.fill('input[name=password]', 'secret');
              await page.click('button[type=submit]');
              await page.click('tr[data-program=crasher] button[data-action=details]');
              await page.locator('#chart-usage canvas').waitFor();
              await page.locator('#event-legend li[data-event=exited]').waitFor();
              assert.deepEqual([...origins], [`http://127.0.0.1:${panel}`], 'everything came from the agent');
              for (const range of ['15m', '24h', 'all', '1h']) {
                await page.click(`#range button[data-range="${range}"]`);
                await page.locator(`#range button[data-range="${range}"][aria-pressed=true]`).waitFor();
              }
              await page.locator('#chart-usage canvas').waitFor();
              await page.screenshot({ path: d.path('charts.png'), fullPage: true });

              // the axes, from uPlot itself: tick labels present, with units, not overlapping
              const axes = await page.evaluate(() => {
                const charts = (globalThis as any).zetaCharts as Record<string, any>;
                return Object.entries(charts).map(([key, u]) => {
                  const ctx = u.ctx;
                  return {
                    key,
                    title: u.root.querySelector('.u-title')?.textContent ?? '',
                    axes: u.axes.map((axis: any, i: number) => {
                      ctx.font = axis.font?.[0] ?? '12px system-ui';
                      const scale = axis.scale;
                      const values: string[] = (axis._values ?? []).map(String);
                      const ticks = (axis._splits ?? []).map((v: number, j: number) => {
                        const pos = u.valToPos(v, scale);
                        const width = ctx.measureText(values[j] ?? '').width;
                        const height = 12;
                        return i === 0
                          ? { x: pos - width / 2, y: 0, width, height, text: values[j] }
                          : { x: 0, y: pos - height / 2, width, height, text: values[j] };
                      });
                      return { label: axis.label ?? '', side: axis.side, ticks };
                    }),
                    legend: [...u.root.querySelectorAll('.u-legend .u-series')].map((e: any) => e.textContent),
                  };
                });
              });
              assert.deepEqual(axes.map((c) => c.title).sort(), ['cpu and memory', 'restarts']);
              for (const chart of axes) {
                assert.equal(chart.axes[0].label, 'time');
                for (const axis of chart.axes) {
                  assert.ok(axis.label, `${chart.key}: an axis without a label`);
                  const labelled = axis.ticks.filter((t: Box) => t.text);
                  assert.ok(labelled.length >= 2, `${chart.key} ${axis.label}: ${labelled.length} tick labels`);
                  assertNoOverlap(labelled, `${chart.key} ${axis.label} ticks`);
                }
                assert.ok(chart.legend.some((l: string) => /time/.test(l)));
              }
              const usage = axes.find((c) => c.key === 'usage')!;
              assert.ok(
                usage.axes[1].ticks.every((t: Box) => !t.text || / %$/.test(t.text)),
                'cpu ticks in %',
              );
              assert.ok(
                usage.axes[2].ticks.every((t: Box) => !t.text || / MB$/.test(t.text)),
                'memory ticks in MB',
              );
              assert.ok(
                usage.legend.some((l: string) => /^cpu/.test(l)) && usage.legend.some((l: string) => /^memory/.test(l)),
              );

              // the peer nothing listens for: under "Other nodes", down with the reason
              const peer = page.locator('#node-list [data-node=gone][data-up=false] h3');
              await peer.waitFor();
              assert.match(await peer.innerText(), /^gone: DOWN: connect ECONNREFUSED 127\.0\.0\.1:\d+$/);
              const up = page.locator('#node-list [data-node=live][data-up=true]');
              await up.locator('h3').waitFor();
              assert.equal(await up.locator('h3').innerText(), 'live (appserver)');
              assert.equal(await up.locator('[data-program=live-web]').getAttribute('data-state'), 'RUNNING');

              // the DOM's labels: legends, titles, the range picker, the event legend
              const boxes: Box[] = await page.evaluate(() =>
                [
                  ...(globalThis as any).document.querySelectorAll(
                    '#detail .u-title, #detail .u-legend .u-series, #range button, #event-legend li, #log-search button, #node-list h3',
                  ),
                ].map((e: any) => {
                  const r = e.getBoundingClientRect();
                  return { x: r.x, y: r.y, width: r.width, height: r.height, text: e.textContent ?? '' };
                }),
              );
              assert.ok(boxes.length >= 10, `only ${boxes.length} labels`);
              assert.ok(boxes.every((b) => b.width > 0 && b.height > 0));
              assertNoOverlap(boxes, 'panel labels');

              // the log search box reads through the same search as supervisorctl logs
              await page.fill('#log-grep', 'crashing with');
              await page.click('#log-search button');
              await page.locator('#log', { hasText: /crashing with 1/ }).waitFor();
            } finally {
              await browser.close();
            }
          },
        );
      },
    );
  },
);
