/**
 * The rolling deploy's drain step with the stack's own balancer: a real haproxy on the balancer
 * host, two backends on two app hosts, each daemon in its host's network namespace. A backend is
 * drained through the runtime API, restarted and re-enabled while a request loop runs through
 * haproxy; then the other one, through Ansible's community.general.haproxy module: no request
 * may fail. The control (a backend killed without a drain) must fail some.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { probeSandbox } from '../helpers/nodeset-sandbox/probe';
import { runScenario, scenarioValue } from '../helpers/nodeset-sandbox/sandbox';
import type { DrainResult } from './scenarios/haproxy-drain';

const probe = probeSandbox({ extraTools: [['/usr/sbin/haproxy', 'haproxy']] });

test(
  'backends drained in haproxy (runtime API, then the Ansible module), restarted and re-enabled: no request ' +
    'through haproxy fails',
  { skip: probe.available ? false : probe.reason },
  async () => {
    const run = await runScenario<DrainResult>({
      scenario: require.resolve('./scenarios/haproxy-drain'),
      hosts: ['app1', 'app2', 'bal'],
      args: { appPort: 19080, frontPort: 19090 },
      timeoutMs: 120_000,
    });
    const result = scenarioValue(run);
    assert.deepEqual(run.leftovers, []);
    assert.deepEqual(result.start.hosts, { app1: 'ok', app2: 'ok', bal: 'ok' });
    assert.deepEqual(result.restart.hosts, { app1: 'ok' });
    // the drain waited for what was in flight, and ended with no session and no busy connection
    assert.equal(result.drain.after.status, 'DRAIN');
    assert.equal(result.drain.after.scur, 0);
    assert.equal(result.drain.after.usedConnections, 0);
    assert.equal(result.enabled.status, 'UP');
    const { whole, whileDrained, afterEnabled } = result.loop;
    assert.equal(result.loop.ranOut, undefined, 'the loop ran until stopped');
    assert.equal(whole.failed, 0, `failed requests: ${whole.errors.join(', ')}`);
    assert.ok(whole.byBackend['app1 1'] > 0 && whole.byBackend['app2 1'] > 0, JSON.stringify(whole.byBackend));
    // while drained, app1 got nothing (neither generation); app2 carried it all
    assert.deepEqual(Object.keys(whileDrained.byBackend), ['app2 1']);
    assert.ok(whileDrained.requests >= 10, `requests while drained: ${whileDrained.requests}`);
    assert.ok(afterEnabled.byBackend['app1 2'] >= 20, JSON.stringify(afterEnabled.byBackend));
    assert.equal(afterEnabled.byBackend['app1 1'], undefined);
    // app2's cycle through community.general.haproxy: drained (then MAINT), restarted, back UP
    assert.deepEqual(result.module.hosts, { app2: 'ok' });
    assert.equal(result.module.view.status, 'UP');
    assert.equal(result.module.afterDrain.failed, 0);
    assert.equal(
      result.module.afterDrain.byBackend['app2 1'],
      undefined,
      'no request reached the old app2 after the drain task',
    );
    assert.ok(result.module.afterEnable.byBackend['app2 2'] >= 20, JSON.stringify(result.module.afterEnable.byBackend));
    // the control: without a drain, killing a backend loses requests, and the loop sees it
    assert.equal(result.control.ranOut, undefined);
    assert.ok(result.control.whole.failed > 0, JSON.stringify(result.control.whole));
  },
);
