/**
 * The harness's generated files and its readers of tool output, without a sandbox: the host
 * layout's checks, ansible.cfg and the inventory, the json callback's per-host outcomes, and
 * haproxy's `show stat` / `show servers conn` answers (as haproxy 2.6 prints them).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { layOutHosts } from '../helpers/nodeset-sandbox/layout';
import { renderAnsibleConfig, renderInventory, type AnsibleFiles } from '../helpers/nodeset-sandbox/ansible-config';
import { readRun } from '../helpers/nodeset-sandbox/ansible-run';
import type { ExecResult } from '../helpers/nodeset-sandbox/exec';
import type { SandboxHosts } from '../helpers/nodeset-sandbox/hosts';
import { parseServersConn, parseShowStat } from '../helpers/nodeset-sandbox/haproxy-runtime';

function fakeHosts(names: string[]): SandboxHosts {
  const hosts = layOutHosts('/tmp/zs-run', names);
  return {
    root: '/tmp/zs-run',
    hosts,
    privateKey: '/tmp/zs-run/keys/id_ed25519',
    knownHosts: '/tmp/zs-run/known_hosts',
    controlDir: '/tmp/zs-run/cp',
    host: (name) => hosts.find((h) => h.name === name)!,
  };
}

test('host names and addresses: defaults from the name, the sandbox subnet only, no duplicates', () => {
  const hosts = layOutHosts('/r', [
    'app1',
    'app3',
    'bal',
    'db',
    { name: 'cache', address: '10.231.0.40', group: 'services' },
  ]);
  assert.deepEqual(
    hosts.map((h) => [h.name, h.address, h.group, h.netns, h.veth]),
    [
      ['app1', '10.231.0.11', 'appservers', 'zs-app1', 'zs-app1-h'],
      ['app3', '10.231.0.13', 'appservers', 'zs-app3', 'zs-app3-h'],
      ['bal', '10.231.0.20', 'balancer', 'zs-bal', 'zs-bal-h'],
      ['db', '10.231.0.30', 'db', 'zs-db', 'zs-db-h'],
      ['cache', '10.231.0.40', 'services', 'zs-cache', 'zs-cache-h'],
    ],
  );
  assert.equal(hosts[0].deployRoot, '/r/hosts/app1/deploy');
  assert.throws(
    () => layOutHosts('/r', [{ name: 'web', address: '192.168.1.5' }]),
    /192\.168\.1\.5 is not in 10\.231\.0\.2-254/,
  );
  assert.throws(() => layOutHosts('/r', [{ name: 'gw', address: '10.231.0.1' }]), /not in 10\.231\.0\.2-254/);
  assert.throws(
    () => layOutHosts('/r', ['app1', { name: 'other', address: '10.231.0.11' }]),
    /host other: duplicate address 10\.231\.0\.11 \(also that of app1\)/,
  );
  assert.throws(() => layOutHosts('/r', ['app1', 'app1']), /duplicate name app1/);
  assert.throws(() => layOutHosts('/r', ['web']), /no default address/);
  assert.throws(() => layOutHosts('/r', ['averylonghostname']), /1-10 lower-case letters/);
});

test('ansible.cfg: one %C in ssh_args, pinned known_hosts, pipelining, Debian python, the json callback', () => {
  const hosts = fakeHosts(['app1', 'bal']);
  const files: AnsibleFiles = {
    dir: '/tmp/zs-run/ansible',
    config: '/tmp/zs-run/ansible/ansible.cfg',
    inventory: '/tmp/zs-run/ansible/inventory.ini',
    home: '/tmp/zs-run/ansible/home',
  };
  const cfg = renderAnsibleConfig(hosts, files);
  const sshArgs = cfg.split('\n').find((l) => l.startsWith('ssh_args = '))!;
  assert.match(sshArgs, / -o ControlPath=\/tmp\/zs-run\/cp\/%C( |$)/);
  assert.doesNotMatch(sshArgs, /%%/);
  assert.match(sshArgs, /-o UserKnownHostsFile=\/tmp\/zs-run\/known_hosts/);
  assert.match(sshArgs, /-o StrictHostKeyChecking=yes/);
  assert.match(sshArgs, /-F \/dev\/null/);
  for (const line of [
    'interpreter_python = /usr/bin/python3',
    'pipelining = True',
    'host_key_checking = True',
    'stdout_callback = ansible.posix.json',
    'bin_ansible_callbacks = True',
    `inventory = ${files.inventory}`,
    `private_key_file = ${hosts.privateKey}`,
  ]) {
    assert.ok(cfg.split('\n').includes(line), `${line} in:\n${cfg}`);
  }
  // a unix socket path is limited to 108 bytes: %C expands to 40 hex digits
  assert.ok(`${hosts.controlDir}/`.length + 40 < 108);
});

test('inventory: a group per role, each host with its address and deploy root, shared vars', () => {
  const text = renderInventory(fakeHosts(['app1', 'app2', 'bal']), { vars: { app_port: 19080 } });
  const lines = text.split('\n');
  const at = (line: string): number => lines.indexOf(line);
  assert.ok(at('[appservers]') >= 0 && at('[balancer]') > at('[appservers]'));
  assert.equal(
    lines[at('[appservers]') + 1],
    'app1 ansible_host=10.231.0.11 deploy_root=/tmp/zs-run/hosts/app1/deploy',
  );
  assert.equal(
    lines[at('[appservers]') + 2],
    'app2 ansible_host=10.231.0.12 deploy_root=/tmp/zs-run/hosts/app2/deploy',
  );
  assert.equal(lines[at('[balancer]') + 1], 'bal ansible_host=10.231.0.20 deploy_root=/tmp/zs-run/hosts/bal/deploy');
  assert.deepEqual(lines.slice(at('[nodeset:children]') + 1, at('[nodeset:children]') + 3), ['appservers', 'balancer']);
  assert.equal(lines[at('[nodeset:vars]') + 1], 'app_port=19080');
  assert.throws(() => renderInventory(fakeHosts(['app1']), { vars: { bad: 'a b' } }), /spaces/);
});

function execResult(code: number, stdout: string, stderr = ''): ExecResult {
  return { argv: ['ansible-playbook'], code, signal: null, timedOut: false, stdout, stderr, durationMs: 1 };
}

test('ansible results: per-host outcome from the json callback; exit 4 without JSON is a parse error', () => {
  const json = {
    plays: [
      {
        play: { name: 'p' },
        tasks: [
          {
            task: { name: 'Say where we are' },
            hosts: {
              app1: { changed: false, stdout: 'app1' },
              app2: {
                unreachable: true,
                msg:
                  'Failed to connect to the host via ssh: ssh: connect to host 10.231.0.12 port 22: ' +
                  'Connection refused',
              },
            },
          },
        ],
      },
    ],
    stats: {
      app1: { ok: 1, changed: 0, failures: 0, unreachable: 0, skipped: 0 },
      app2: { ok: 0, changed: 0, failures: 0, unreachable: 1, skipped: 0 },
    },
  };
  const unreachable = readRun(execResult(4, JSON.stringify(json)));
  assert.equal(unreachable.kind, 'unreachable');
  assert.equal(unreachable.hosts.app1.status, 'ok');
  assert.equal(unreachable.hosts.app2.status, 'unreachable');
  assert.deepEqual(unreachable.hosts.app2.failure, {
    task: 'Say where we are',
    msg: json.plays[0].tasks[0].hosts.app2.msg,
  });
  const parse = readRun(execResult(4, '', 'ERROR! We were unable to read either as JSON nor YAML'));
  assert.equal(parse.kind, 'invalid');
  assert.deepEqual(parse.hosts, {});
  const failed = readRun(
    execResult(2, JSON.stringify({ ...json, stats: { ...json.stats, app2: { ok: 0, failures: 1, unreachable: 0 } } })),
  );
  assert.equal(failed.kind, 'failed');
  assert.equal(readRun({ ...execResult(-1, ''), code: null, timedOut: true }).kind, 'timeout');
});

test("haproxy answers: show stat's CSV by column name, show servers conn by server", () => {
  const stat = [
    '# pxname,svname,qcur,qmax,scur,smax,slim,stot,bin,bout,dreq,dresp,ereq,econ,eresp,wretr,wredis,status',
    'web,FRONTEND,,,3,5,9985,20,0,0,0,0,0,,,,,OPEN',
    'be,app1,0,0,0,2,,12,0,0,,0,,0,0,0,0,DRAIN',
    'be,app2,0,0,2,2,,30,0,0,,0,,0,0,0,0,UP',
    '',
    '',
  ].join('\n');
  const rows = parseShowStat(stat);
  assert.deepEqual(
    rows.filter((r) => r.pxname === 'be').map((r) => [r.svname, r.status, r.scur]),
    [
      ['app1', 'DRAIN', '0'],
      ['app2', 'UP', '2'],
    ],
  );
  assert.throws(() => parseShowStat('Unknown command.\n'), /unexpected answer/);
  const conn = [
    '# bkname/svname bkid/svid addr port - purge_delay used_cur used_max need_est unsafe_nb safe_nb idle_lim ' +
      'idle_cur idle_per_thr[2]',
    'be/app1 3/1 10.231.0.11 19080 - 5000 0 2 2 0 0 -1 3 3 0',
    'be/app2 3/2 10.231.0.12 19080 - 5000 2 2 2 0 0 -1 0 0 0',
    '',
  ].join('\n');
  assert.equal(parseServersConn(conn, 'be', 'app1').used_cur, 0);
  assert.equal(parseServersConn(conn, 'be', 'app1').idle_cur, 3);
  assert.equal(parseServersConn(conn, 'be', 'app2').used_cur, 2);
  assert.throws(() => parseServersConn(conn, 'be', 'app9'), /no server be\/app9/);
});
