/**
 * The nodeset test harness itself: hosts that are network namespaces with their own sshd, inside
 * a sandbox the kernel tears down. Skipped, with the probe's reason, where namespaces are not
 * allowed; every run is followed by a look from outside for anything it left.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { probeSandbox } from '../helpers/nodeset-sandbox/probe';
import { runScenario, scenarioValue } from '../helpers/nodeset-sandbox/sandbox';
import { findLeftovers, prefixedNames, sandboxProcesses } from '../helpers/nodeset-sandbox/leftovers';
import type { SandboxIdentity } from '../helpers/nodeset-sandbox/scenario';
import { processAlive } from '../helpers/nodeset-sandbox/process-alive';
import { waitFor } from '../helpers/wait';
import type { IdentityResult } from './scenarios/identity';
import type { BindingResult } from './scenarios/binding';
import type { UnreachableResult } from './scenarios/unreachable';

const probe = probeSandbox();
const skip = probe.available ? false : probe.reason;
const DROP_CAPABILITIES = ['setpriv', '--bounding-set', '-sys_admin,-net_admin', '--'];
const PORT = 19080;

/** Listening TCP sockets (local address:port) in the real host's network namespace, or in another process's. */
function listeners(nsenterPid?: number): string[] {
  const argv = nsenterPid ? ['nsenter', '-t', String(nsenterPid), '-n', 'ss', '-Hltn'] : ['ss', '-Hltn'];
  return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 5000 })
    .stdout.split('\n')
    .map((l) => l.trim().split(/\s+/)[3])
    .filter(Boolean);
}

test('hosts come up, ansible all -m ping reaches each, and each host reports its own address', { skip }, async () => {
  const hosts = ['app1', 'app2', 'app3', 'bal'];
  const run = await runScenario<IdentityResult>({
    scenario: require.resolve('./scenarios/identity'),
    hosts,
    timeoutMs: 60_000,
  });
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

test(
  "a host's service bound to its address is reachable from another host, and bound nowhere else",
  { skip },
  async () => {
    let outside: { rootListeners: string[]; rootAddresses: string; serverListeners: string[] } | undefined;
    const run = await runScenario<BindingResult>({
      scenario: require.resolve('./scenarios/binding'),
      hosts: ['app1', 'app2'],
      args: { port: PORT },
      timeoutMs: 40_000,
      onCheckpoint: (_name, _data, sandbox) => {
        // from the real host, while the server runs: nothing of it here; the same look into app1 sees it
        const server = sandboxProcesses(sandbox.identity).find((p) => p.netns === sandbox.identity.hostNetNs.app1)?.pid;
        outside = {
          rootListeners: listeners().filter((l) => l.endsWith(`:${PORT}`) || l.startsWith('10.231.')),
          rootAddresses: spawnSync('ip', ['-4', '-o', 'addr', 'show'], { encoding: 'utf8' }).stdout,
          serverListeners: server ? listeners(server) : [],
        };
      },
    });
    const result = scenarioValue(run);
    assert.deepEqual(run.leftovers, []);
    assert.deepEqual(result.fromPeer, { code: 0, body: 'served-by-app1' });
    assert.equal(result.fromPeerLoopback.code, 7, `refused on app2's loopback: ${result.fromPeerLoopback.stderr}`);
    assert.equal(
      result.fromControllerLoopback.code,
      7,
      `refused on the controller's loopback: ${result.fromControllerLoopback.stderr}`,
    );
    assert.deepEqual(result.listeners, { app1: [`${result.address}:${PORT}`], app2: [], controller: [] });
    assert.equal(result.serverNetns, run.identity!.hostNetNs.app1);
    assert.ok(outside, 'the checkpoint ran');
    assert.deepEqual(outside.rootListeners, []);
    assert.doesNotMatch(outside.rootAddresses, /10\.231\./);
    assert.ok(
      outside.serverListeners.includes(`${result.address}:${PORT}`),
      `seen from outside inside app1: ${outside.serverListeners.join(' ')}`,
    );
  },
);

test(
  'an unreachable host (sshd stopped) is read per host from the json callback, not from the exit status',
  { skip },
  async () => {
    const run = await runScenario<UnreachableResult>({
      scenario: require.resolve('./scenarios/unreachable'),
      hosts: ['app1', 'app2'],
      timeoutMs: 90_000,
    });
    const result = scenarioValue(run);
    assert.deepEqual(run.leftovers, []);
    assert.equal(result.before.kind, 'ok');
    assert.deepEqual(Object.fromEntries(Object.entries(result.before.hosts).map(([h, o]) => [h, o.status])), {
      app1: 'ok',
      app2: 'ok',
    });
    // the open master still reaches app2 although its sshd is gone
    assert.equal(result.masterStillOpen.kind, 'ok');
    const { unreachable, parseError } = result;
    assert.equal(unreachable.code, 4);
    assert.equal(unreachable.kind, 'unreachable');
    assert.equal(unreachable.hosts.app1.status, 'ok');
    assert.equal(unreachable.hosts.app2.status, 'unreachable');
    assert.equal(unreachable.hosts.app2.stats.unreachable, 1);
    assert.match(unreachable.hosts.app2.failure!.msg, /Connection refused/);
    // the same exit status, and no per-host result at all
    assert.equal(parseError.code, 4);
    assert.equal(parseError.kind, 'invalid');
    assert.deepEqual(parseError.hosts, {});
    assert.match(parseError.stderrStart, /ERROR!/);
  },
);

test("a SIGKILL of the sandbox's top process leaves nothing behind", { skip }, async () => {
  let seen: { processes: string[]; links: string } | undefined;
  const run = await runScenario({
    scenario: require.resolve('./scenarios/hold'),
    hosts: ['app1', 'app2'],
    args: { port: PORT },
    timeoutMs: 40_000,
    onCheckpoint: (_name, _data, sandbox) => {
      seen = {
        processes: sandboxProcesses(sandbox.identity).map((p) => p.command),
        links: spawnSync('nsenter', ['-t', String(sandbox.pid1), '-n', 'ip', '-o', 'link', 'show'], {
          encoding: 'utf8',
        }).stdout,
      };
      sandbox.kill('SIGKILL');
    },
  });
  assert.equal(run.exit.signal, 'SIGKILL');
  assert.equal(run.value, undefined);
  assert.ok(seen, 'the checkpoint ran');
  // what there was to kill: the check below is not vacuous
  for (const expected of [
    /sshd: \/usr\/sbin\/sshd/,
    /http\.server/,
    /sleep 300/,
    /ssh: .*\[mux\]/,
    /scenario-runner/,
  ]) {
    assert.ok(
      seen.processes.some((p) => expected.test(p)),
      `${expected} ran in the sandbox:\n${seen.processes.join('\n')}`,
    );
  }
  assert.match(seen.links, /zs-br0/);
  assert.match(seen.links, /zs-app1-h/);
  assert.deepEqual(run.leftovers, []);
});

test('a SIGKILL of the test process itself takes its sandbox down too', { skip }, async () => {
  // a test file's process, killed (by a runner's timeout, say) while its sandbox runs: the
  // runner's stdin closes, it exits, and the kernel does the rest
  const code = `
    const { runScenario } = require(${JSON.stringify(require.resolve('../helpers/nodeset-sandbox/sandbox'))});
    runScenario({ scenario: ${JSON.stringify(require.resolve('./scenarios/hold'))}, hosts: ['app1', 'app2'], args: { port: ${PORT} }, timeoutMs: 40000,
      onCheckpoint: (name, data, sandbox) => { console.log(JSON.stringify({ pid: sandbox.pid, identity: sandbox.identity, root: sandbox.root })); return new Promise(() => {}); } });`;
  const before = prefixedNames();
  const testProcess = spawn(process.execPath, ['-e', code], { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      testProcess.kill('SIGKILL');
      reject(new Error('no checkpoint within 30 s'));
    }, 30_000);
    testProcess.stdout.setEncoding('utf8').on('data', (d: string) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolve(out.split('\n')[0]);
      }
    });
  });
  const { pid, identity, root } = JSON.parse(line) as { pid: number; identity: SandboxIdentity; root: string };
  assert.ok(sandboxProcesses(identity).length > 3, 'the sandbox runs');
  assert.ok(existsSync(root));
  testProcess.kill('SIGKILL');
  await waitFor(() => !processAlive(pid), { what: `unshare (pid ${pid}) to exit`, timeoutMs: 10_000 });
  assert.deepEqual(await findLeftovers(identity, before), []);
  assert.equal(existsSync(root), false, "the runner removed the run's tree");
});

test('without CAP_SYS_ADMIN and CAP_NET_ADMIN the probe says so plainly', () => {
  const denied = probeSandbox({ wrap: DROP_CAPABILITIES });
  assert.equal(denied.available, false);
  assert.match(denied.reason!, /does not allow network namespaces/);
  assert.match(denied.reason!, /Operation not permitted/);
  assert.match(denied.reason!, /CAP_SYS_ADMIN and CAP_NET_ADMIN/);
});

test(
  'where the probe fails, the nodeset suite is skipped with its reason, not failed',
  { skip: process.env.ZS_NODESET_NESTED === '1' && 'the nested run itself' },
  () => {
    const files = ['harness.test.js', 'haproxy-drain.test.js'].map((f) => path.join(__dirname, f));
    const env: NodeJS.ProcessEnv = { ...process.env, ZS_NODESET_NESTED: '1' };
    delete env.NODE_TEST_CONTEXT; // set for this file's process by the runner: a nested run would report to it, not print TAP
    const nested = spawnSync(
      DROP_CAPABILITIES[0],
      [...DROP_CAPABILITIES.slice(1), process.execPath, '--test', '--test-reporter=tap', ...files],
      { encoding: 'utf8', timeout: 60_000, env },
    );
    const count = (name: string): number => Number(nested.stdout.match(new RegExp(`^# ${name} (\\d+)$`, 'm'))?.[1]);
    assert.equal(nested.status, 0, nested.stdout + nested.stderr);
    assert.equal(count('fail'), 0);
    assert.equal(count('pass'), 1, 'only the negative probe runs');
    const skips = nested.stdout.split('\n').filter((l) => /^ok \d+ - .* # SKIP /.test(l));
    assert.equal(count('skipped'), skips.length);
    const sandboxSkips = skips.filter((l) =>
      /# SKIP nodeset sandbox: this machine does not allow network namespaces here \(.*Operation not permitted\)/.test(
        l,
      ),
    );
    assert.equal(sandboxSkips.length, skips.length - 1, nested.stdout); // all but this test's own
    assert.ok(sandboxSkips.length >= 5, nested.stdout);
  },
);
