/**
 * The deploy's generated Ansible files, without a sandbox: the inventory's groups and host
 * variables as ansible-inventory reads them, ansible.cfg's pinned ssh options, every playbook
 * accepted by ansible-playbook --syntax-check, and the readers of the json callback's results
 * and of the releases read back from nodes.
 */
import { nodesetErrors } from '../../src/errors/factories/nodeset';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { modelNodeset } from '../helpers/nodeset-model';
import { writeControlFiles } from '../../src/nodeset/ansible/control-files';
import { defaultSettings } from '../../src/nodeset/ansible/settings';
import { readPlaybookRun } from '../../src/nodeset/ansible/run-playbook';
import { nextReleaseId, parseReleases } from '../../src/nodeset/ansible/releases';

const ansibleEnv = (config: string, home: string): NodeJS.ProcessEnv => ({
  PATH: '/usr/sbin:/usr/bin:/sbin:/bin',
  HOME: home,
  LANG: 'C.UTF-8',
  ANSIBLE_CONFIG: config,
});

test('the inventory: a group per role and per kind, each node with its address, deploy_root overridable per node', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zs-deploy-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const nodeset = modelNodeset(dir);
  const settings = defaultSettings(nodeset, { deployRootOf: { app2: '/sandbox/app2/deploy' } });
  const files = writeControlFiles(nodeset, settings);
  const listed = spawnSync('/usr/bin/ansible-inventory', ['--list'], {
    env: { ...ansibleEnv(files.config, files.home), ANSIBLE_STDOUT_CALLBACK: 'default' },
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(listed.status, 0, listed.stderr);
  const inventory = JSON.parse(listed.stdout);
  assert.deepEqual(inventory.role_appserver.hosts, ['app1', 'app2', 'app3']);
  assert.deepEqual(inventory.appservers.children, ['role_appserver']);
  assert.deepEqual(inventory.balancers.children, ['role_balancer']);
  assert.deepEqual(inventory.services.children, ['role_service_mysql']);
  const vars = inventory._meta.hostvars;
  assert.equal(vars.app1.ansible_host, '10.231.0.11');
  assert.equal(vars.db.ansible_host, '10.231.0.30');
  assert.equal(vars.app1.node_name, 'app1.zeta.test');
  assert.equal(vars.app1.deploy_root, '/srv/zetaserver');
  assert.equal(vars.app2.deploy_root, '/sandbox/app2/deploy');
  assert.equal(vars.bal.keep_releases, 5);

  const cfg = readFileSync(files.config, 'utf8');
  assert.match(cfg, /^host_key_checking = True$/m);
  assert.match(cfg, /^pipelining = True$/m);
  assert.match(cfg, /^forks = 10$/m);
  assert.match(cfg, new RegExp(`UserKnownHostsFile=${path.join(dir, 'known_hosts')} `));
  assert.match(cfg, /ControlPersist=60s/);
  // one % in ssh_args: a socket per host (%%C would reach ssh as one shared literal socket)
  assert.match(cfg, /ControlPath=\S+\/%C /);
  assert.doesNotMatch(cfg, /%%C/);
});

test('every playbook passes ansible-playbook --syntax-check', (t) => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'zs-deploy-files-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const files = writeControlFiles(modelNodeset(dir), defaultSettings(modelNodeset(dir)));
  assert.deepEqual(Object.keys(files.playbooks).sort(), [
    'activate',
    'cleanup',
    'deploy',
    'facts',
    'inspect',
    'logs',
    'plan',
    'prepare',
    'remove',
    'status',
  ]);
  for (const [name, file] of Object.entries(files.playbooks)) {
    const checked = spawnSync('/usr/bin/ansible-playbook', ['--syntax-check', file], {
      env: { ...ansibleEnv(files.config, files.home), ANSIBLE_STDOUT_CALLBACK: 'default' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(checked.status, 0, `${name}: ${checked.stderr}${checked.stdout}`);
  }
});

test('a task of several steps names the step that failed: the last `step: NAME` line it printed', () => {
  const failedWith = (stdout: string): string | undefined => {
    const json = {
      plays: [
        {
          play: { name: 'p' },
          tasks: [{ task: { name: 'switch' }, hosts: { app1: { failed: true, msg: 'non-zero return code', stdout } } }],
        },
      ],
      stats: { app1: { ok: 0, changed: 0, failures: 1, unreachable: 0 } },
    };
    return readPlaybookRun(JSON.stringify(json), 2, false).nodes.app1.failure?.task;
  };
  assert.equal(failedWith('switched r1 -> r2\nstep: restart\nupdate: plan: restart web\n'), 'restart');
  assert.equal(failedWith('switched r1 -> r2\nstep: restart\nstep: cleanup\n'), 'cleanup');
  // no step printed: the task's own name; a step word inside a line is not a step line
  assert.equal(failedWith(''), 'switch');
  assert.equal(failedWith('the next step: restart\n'), 'switch');
});

test('the json callback read per node: unreachable beats failed, the failing task and item are named', () => {
  const json = {
    plays: [
      {
        play: { name: 'p' },
        tasks: [
          {
            task: { name: 'switch' },
            hosts: { app1: { changed: true }, app2: { unreachable: true, msg: 'Connection refused' } },
          },
          {
            task: { name: 'gate' },
            hosts: {
              app1: {
                failed: true,
                msg: 'One or more items failed',
                results: [{ failed: true, msg: 'Status code was 503' }],
              },
            },
          },
        ],
      },
    ],
    stats: {
      app1: { ok: 1, changed: 1, failures: 1, unreachable: 0 },
      app2: { ok: 0, changed: 0, failures: 0, unreachable: 1 },
      app3: { ok: 2, changed: 1, failures: 0, unreachable: 0 },
    },
  };
  const run = readPlaybookRun(JSON.stringify(json), 4, false);
  assert.equal(run.kind, 'unreachable');
  assert.deepEqual(run.nodes.app1.failure, { task: 'gate', msg: 'Status code was 503' });
  assert.equal(run.nodes.app2.status, 'unreachable');
  assert.deepEqual(run.nodes.app2.failure, { task: 'switch', msg: 'Connection refused' });
  assert.equal(run.nodes.app3.status, 'changed');
  // exit 4 with no JSON: the playbook did not parse, not an unreachable node
  assert.equal(readPlaybookRun('', 4, false).kind, 'invalid');
  assert.equal(readPlaybookRun('', null, true).kind, 'timeout');
});

test('releases read back: current, previous, the list in numeric order; the next id is above every node', () => {
  const a = parseReleases(
    'current=r9\nprevious=r8\nreleases=r10 r8 r9 junk \nhash=abc\nshared-hash-agent-tls=f00\napp1-web UP check: L7OK address: 10.0.0.1:80\n',
  );
  assert.deepEqual(a, {
    current: 'r9',
    previous: 'r8',
    releases: ['r8', 'r9', 'r10'],
    hash: 'abc',
    shared: { 'agent-tls': 'f00' },
  });
  const empty = parseReleases('');
  assert.deepEqual(empty, { current: undefined, previous: undefined, releases: [], hash: undefined, shared: {} });
  assert.equal(nextReleaseId({ app1: a, app2: empty }), 'r11');
  assert.equal(nextReleaseId({ app1: empty }), 'r1');
});

test('a deploy that did not finish ends with its catalogue error: the nodes that stopped it, where, and what went back', () => {
  const failed = nodesetErrors.rolloutStopped(
    'nodeset example: deploy',
    [{ node: 'app2', state: 'failed', step: 'gate' }],
    ['app1'],
  );
  assert.equal(failed.code, 'NODESET_DEPLOY_FAILED');
  assert.equal(failed.status, 1);
  assert.equal(failed.message, 'nodeset example: deploy did not finish: failed on app2 (at gate); rolled back: app1');
  const down = nodesetErrors.rolloutStopped('nodeset example: deploy', [{ node: 'app2', state: 'unreachable' }], []);
  assert.equal(down.code, 'NODESET_UNREACHABLE');
  assert.equal(down.status, 3);
  assert.equal(down.message, 'nodeset example: deploy did not finish: app2 did not answer over ssh');
  // both: the failed step decides
  const both = nodesetErrors.rolloutStopped(
    'nodeset example: rollback',
    [
      { node: 'app1', state: 'failed', step: 'switch' },
      { node: 'app3', state: 'unreachable' },
    ],
    [],
  );
  assert.equal(both.code, 'NODESET_DEPLOY_FAILED');
  assert.match(both.message, /failed on app1 \(at switch\); app3 did not answer over ssh$/);
});
