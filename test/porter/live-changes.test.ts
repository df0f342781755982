/**
 * Instant routing under load: while a bounded load loop sends requests for the routed domains
 * through a real nginx, bin/porter adds, moves, removes and resets routes. No request may fail or
 * reach a backend it should not; every request sent after bin/porter returns must see the new
 * table; and the change must be visible within a second of the reload. Prints what it measured.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { freePort } from '../helpers/ports';
import { LoadLoop, type Sample } from '../helpers/load';
import {
  get,
  porter,
  porterDeployment,
  programOf,
  startBackend,
  startProgram,
  type Backend,
  type PorterRun,
} from '../helpers/porter';
import { waitFor } from '../helpers/wait';

interface Change {
  label: string;
  host: string;
  /** What the host shows after the change: a backend name or a status. */
  after: string;
  run: PorterRun;
  signalledAt: number;
  liveAfterMs: number;
}

const KEEP_ALIVE_WORKERS = 2;
/** Requests per host and kind of connection between two changes (and after the last). */
const REQUESTS_BETWEEN = 20;

function observed(sample: Sample): string {
  if (sample.error)
    return (
      `error ${sample.error} on a ${sample.connection} connection${sample.retried ? ' (a retry)' : ''} ` +
      `after ${sample.endedAt - sample.startedAt} ms`
    );
  return sample.status === 200 && sample.backend ? sample.backend : String(sample.status);
}

/** What a sample of `host` may show, given when it ran relative to the changes of that host. */
function allowed(sample: Sample, initial: string, changes: Change[]): Set<string> {
  let states = new Set([initial]);
  for (const change of changes.filter((c) => c.host === sample.host)) {
    if (sample.startedAt > change.run.endedAt) states = new Set([change.after]);
    else if (sample.endedAt >= change.run.startedAt) states.add(change.after);
  }
  return states;
}

test(
  'bin/porter add, move, remove and reset under continuous load: no failed request, live within a second',
  { timeout: 300_000 },
  async (t) => {
    const backends: Backend[] = [];
    t.after(() => Promise.all(backends.map((b) => b.stop())));
    for (const name of ['alpha', 'beta', 'gamma']) backends.push(await startBackend(name));
    const [alpha, beta, gamma] = backends;
    const port = await freePort();
    const d = porterDeployment(`[buildout]
parts = porter
[porter]
recipe = porter
listen = 127.0.0.1:${port}
workers = 2
external-pools =
    alpha ${alpha.address}
    beta ${beta.address}
routes =
    a.test -> alpha
    b.test -> beta
`);
    t.after(() => d.cleanup());
    const assembled = d.run();
    assert.equal(assembled.status, 0, assembled.stderr);
    const nginx = await startProgram(programOf(d));
    t.after(() => nginx.stop());
    assert.equal((await get(port, 'a.test')).json?.backend, 'alpha');

    const hosts = ['a.test', 'b.test', 'new.test'];
    const fresh = new LoadLoop({ port, hosts, workers: 3, maxRequests: 60_000, maxMs: 120_000 });
    const keepAlive = new LoadLoop({
      port,
      hosts,
      workers: KEEP_ALIVE_WORKERS,
      keepAlive: true,
      maxRequests: 60_000,
      maxMs: 120_000,
    });
    const changes: Change[] = [];
    // steady load between changes: every host answered, on both kinds of connection, since the last one
    let since = Date.now();
    const loaded = async (): Promise<void> => {
      const answered = (loop: LoadLoop, host: string): number =>
        loop.samples.filter((s) => s.host === host && s.startedAt > since).length;
      const steady = (): boolean =>
        [fresh, keepAlive].every((loop) => hosts.every((host) => answered(loop, host) >= REQUESTS_BETWEEN));
      await waitFor(steady, {
        what: `${REQUESTS_BETWEEN} requests per host on fresh and keep-alive connections since the last change`,
        timeoutMs: 20_000,
      });
    };
    const change = async (label: string, host: string, after: string, ...args: string[]): Promise<void> => {
      await loaded();
      const run = await porter(d, ...args, '--json');
      since = run.endedAt;
      assert.equal(run.status, 0, `${label}: ${run.stderr}`);
      const result = JSON.parse(run.stdout) as { running: boolean; signalledAt: number; liveAfterMs: number };
      assert.equal(result.running, true);
      changes.push({ label, host, after, run, signalledAt: result.signalledAt, liveAfterMs: result.liveAfterMs });
    };
    try {
      await change('add new.test -> gamma', 'new.test', 'gamma', 'add', 'new.test', gamma.address);
      await change('move a.test -> beta', 'a.test', 'beta', 'move', 'a.test', 'beta');
      await change('remove new.test', 'new.test', '404', 'remove', 'new.test');
      await change('reset a.test (back to the config: alpha)', 'a.test', 'alpha', 'reset', 'a.test');
      await loaded();
    } finally {
      await Promise.all([fresh.stop(), keepAlive.stop()]);
    }

    const initial: Record<string, string> = { 'a.test': 'alpha', 'b.test': 'beta', 'new.test': '404' };
    const report = (samples: Sample[]): Sample[] =>
      samples.filter((s) => !allowed(s, initial[s.host], changes).has(observed(s)));
    const freshFailures = report(fresh.samples);
    const keepAliveFailures = report(keepAlive.samples);
    const resets = keepAlive.samples.filter((s) => s.retried).length;
    t.diagnostic(
      `load: ${fresh.samples.length} requests on fresh connections, ${keepAlive.samples.length} on keep-alive ` +
        `connections; failed or misrouted: ${freshFailures.length} and ${keepAliveFailures.length}`,
    );
    t.diagnostic(
      `keep-alive: ${resets} idle connections were closed by the old workers as a request went out, and that ` +
        `request was sent again (as browsers do), over ${changes.length} reloads`,
    );
    for (const c of changes) {
      const seen = [...fresh.samples, ...keepAlive.samples]
        .filter((s) => s.host === c.host && s.startedAt >= c.run.startedAt && observed(s) === c.after)
        .sort((x, y) => x.endedAt - y.endedAt)[0];
      assert.ok(seen, `${c.label}: the new state was seen`);
      const afterSignal = seen.endedAt - c.signalledAt;
      const afterStart = seen.endedAt - c.run.startedAt;
      t.diagnostic(
        `${c.label}: bin/porter took ${c.run.endedAt - c.run.startedAt} ms (reload to live ${c.liveAfterMs} ` +
          `ms); first request seeing it ended ${afterSignal} ms after SIGHUP, ${afterStart} ms after the ` +
          `command started`,
      );
      assert.ok(c.liveAfterMs < 1000, `${c.label}: live ${c.liveAfterMs} ms after the reload signal`);
      assert.ok(afterSignal < 1000, `${c.label}: visible ${afterSignal} ms after the reload signal`);
      assert.ok(
        afterStart < 5000,
        `${c.label}: visible ${afterStart} ms after the command started (bound for a loaded machine)`,
      );
    }
    assert.ok(fresh.samples.length > 200 && keepAlive.samples.length > 100, 'the load loop ran throughout');
    assert.deepEqual(
      freshFailures.map((s) => `${s.host} at ${s.startedAt}: ${observed(s)}`),
      [],
      'no request on a fresh connection failed or went to the wrong backend',
    );
    assert.deepEqual(
      keepAliveFailures.map((s) => `${s.host} at ${s.startedAt}: ${observed(s)}`),
      [],
      'no request on a keep-alive connection failed (after the one retry HTTP allows) or went to the wrong backend',
    );
    // each reload closes each idle keep-alive connection of the old workers at most once
    assert.ok(
      resets <= KEEP_ALIVE_WORKERS * changes.length,
      `at most one reset per keep-alive connection per reload, not ${resets}`,
    );
  },
);
