/**
 * The nodeset test harness itself: hosts that are network namespaces with their own sshd, inside
 * a sandbox the kernel tears down. Skipped, with the probe's reason, where namespaces are not
 * allowed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { probeSandbox } from '../helpers/nodeset-sandbox/probe';
import { runScenario, scenarioValue } from '../helpers/nodeset-sandbox/sandbox';
import type { IdentityResult } from './scenarios/identity';

const probe = probeSandbox();
const skip = probe.available ? false : probe.reason;

test('hosts come up, ansible all -m ping reaches each, and each host reports its own address', { skip }, async () => {
  const hosts = ['app1', 'app2', 'app3', 'bal'];
  const run = await runScenario<IdentityResult>({ scenario: require.resolve('./scenarios/identity'), hosts, timeoutMs: 60_000 });
  const result = scenarioValue(run);
  assert.deepEqual(run.leftovers, []);
  assert.equal(result.ping.kind, 'ok');
  assert.equal(result.ping.code, 0);
  assert.deepEqual(result.ping.hosts, Object.fromEntries(hosts.map((h) => [h, 'ok'])));
  assert.deepEqual(result.ping.pong, Object.fromEntries(hosts.map((h) => [h, 'pong'])));
  for (const host of hosts) {
    const report = result.reports[host];
    assert.equal(report.address, result.inventory[host], `${host} reports the address of its inventory entry`);
    assert.equal(report.hostname, host);
    assert.equal(report.netns, run.identity!.hostNetNs[host], `${host}'s command ran in ${host}'s network namespace`);
  }
  // the guard works: with one shared master every host answers as the first one
  const shared = Object.values(result.sharedControlPath.reports).map((r) => r.address);
  assert.equal(shared.length, hosts.length);
  assert.deepEqual(new Set(shared), new Set([result.inventory[hosts[0]]]));
});
