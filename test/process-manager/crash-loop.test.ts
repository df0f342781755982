/**
 * A program that keeps crashing is restarted with growing delays (BACKOFF), then given up on and
 * reported FATAL with the reason (exit code, restarts, its last log line), while its neighbour
 * keeps running; an operator's start clears FATAL.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { freePorts } from '../helpers/ports';
import { serverLine, withSupervised, supervisorPart } from '../helpers/supervisor';
import { pause, waitFor } from '../helpers/wait';

test(
  'a crash-looping program is restarted with backoff, then reported FATAL with the reason',
  { timeout: 120_000 },
  async () => {
    const [panel, crashy, steady] = await freePorts(3);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}startretries = 2
programs =
    ${serverLine(10, 'steady', steady)}
    ${serverLine(20, 'crashy', crashy, { exitAfterMs: 1200, exitCode: 3 })}
`,
      async (d) => {
        d.assembleOrFail();
        const start = d.supervisord();
        assert.equal(start.status, 0, start.stderr);
        const seen = new Set<string>();
        const row = await waitFor(
          () => {
            const now = d.program('crashy');
            seen.add(now.state);
            return now.state === 'FATAL' && now;
          },
          {
            what: 'crashy to be FATAL',
            timeoutMs: 30_000,
            intervalMs: 150,
            detail: () => `states seen: ${[...seen].join(', ')}`,
          },
        );
        assert.equal(row.restarts, 2);
        assert.equal(row.lastExitCode, 3);
        assert.match(
          row.reason,
          /exited 3 times in a row, each within 10 s of starting \(last exit code 3\); gave up after 2 restarts\. Last log line: .*crashing with 3/,
        );
        assert.equal(row.pid, null);
        // it stays given up. A pause is the point here: a third restart would come the doubled
        // backoff (2000 ms) after the last exit, so watch that long and no longer
        await pause(2000);
        const later = d.program('crashy');
        assert.equal(later.state, 'FATAL');
        assert.equal(later.restarts, 2);
        assert.equal(d.program('steady').state, 'RUNNING');
        const text = d.ctl(['status']);
        assert.match(text.stdout, /crashy: FATAL: exited 3 times in a row/);
        const history = JSON.parse(d.ctl(['history', 'crashy', '--json', '--limit', '50']).stdout);
        const events = history.events.map((e: { event: string }) => e.event);
        assert.ok(
          events.includes('fatal') && events.filter((e: string) => e === 'exited').length === 2,
          events.join(','),
        );
        // the backoff doubled: the first restart after 500 ms, the second after 1000 ms
        const delays = history.events
          .filter((e: { event: string }) => e.event === 'exited')
          .map((e: { detail: string }) => e.detail)
          .reverse();
        assert.deepEqual(delays, ['exit code 3; restart 1 of 2 in 500 ms', 'exit code 3; restart 2 of 2 in 1000 ms']);
        // an operator's start clears FATAL
        const again = d.ctl(['start', 'crashy']);
        assert.equal(again.status, 0, again.stderr);
        assert.equal(d.program('crashy').state, 'RUNNING');
      },
    );
  },
);
