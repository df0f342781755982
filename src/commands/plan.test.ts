import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { formatPlan, LARGE_DIFF } from './plan';
import { paletteForTerminal } from '../util/color';
import type { PlanReport } from '../plan/report';

function report(lines: number): PlanReport {
  const body = Array.from({ length: lines }, (_, i) => `+line ${i}`).join('\n');
  return {
    format: 1,
    changes: true,
    parts: [{ part: 'web', recipe: 'nginx', action: 'reinstall', reasons: ['option port changed from "80" to "81"'] }],
    files: [
      {
        path: '/t/etc/web.conf',
        part: 'web',
        change: 'changed',
        added: lines,
        removed: 0,
        diff: `--- /t/etc/web.conf\n+++ /t/etc/web.conf\n@@ -1,0 +1,${lines} @@\n${body}`,
      },
    ],
    runtime: {
      running: true,
      programs: [{ part: 'web', program: 'web', action: 'reload', how: 'SIGHUP', why: ['its config changed'] }],
    },
  };
}

test('a diff is shown whole up to the limit, as a count past it, whole again with verbose', () => {
  const plain = paletteForTerminal(false);
  const small = formatPlan(report(3), plain);
  assert.match(small, /changed {3}\/t\/etc\/web\.conf {2}\[web\] \+3 -0\n {4}--- \/t\/etc\/web\.conf\n/);
  assert.match(small, /\n {4}@@ -1,0 \+1,3 @@\n {4}\+line 0\n/);
  assert.match(small, /running programs:\n {2}reload {10}web \(SIGHUP\)\n\s+because its config changed\n/);
  assert.match(small, /changes pending: 1 to reinstall, 1 file to change, 1 program to act on$/);
  const large = formatPlan(report(LARGE_DIFF + 1), plain);
  assert.match(large, new RegExp(`\\(${LARGE_DIFF + 1} lines changed: -v shows them\\)`));
  assert.doesNotMatch(large, /\+line 0/);
  assert.match(formatPlan(report(LARGE_DIFF + 1), plain, true), /\+line 200\n/);
});

test('colour only through a terminal palette: added lines green, removed red', () => {
  const saved = { NO_COLOR: process.env.NO_COLOR, TERM: process.env.TERM };
  delete process.env.NO_COLOR;
  process.env.TERM = 'xterm';
  try {
    assert.match(formatPlan(report(1), paletteForTerminal(true)), /\x1b\[32m\+line 0\x1b\[39m/);
    assert.doesNotMatch(formatPlan(report(1), paletteForTerminal(false)), /\x1b\[/);
  } finally {
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});
