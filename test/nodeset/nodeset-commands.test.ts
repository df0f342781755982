/**
 * `bin/assemble nodeset list | ssh-config` on the example nodeset, and the command line's
 * errors: a missing or misspelt subcommand (the nearest suggested), an option a subcommand does
 * not take, a node name left out or unknown (the nearest suggested); each exits 2 and prints
 * nothing on stdout.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { assemble } from '../helpers/run';
import { ROOT } from '../helpers/paths';

const NODESET = path.join(ROOT, 'nodeset.cfg');

test('nodeset list: one row per node with its role, kind, address and parts; --json is the nodeset', () => {
  const result = assemble(['-c', NODESET, 'nodeset', 'list']);
  assert.equal(result.status, 0, result.stderr);
  const lines = result.stdout.trimEnd().split('\n');
  assert.equal(lines[0], 'nodeset example (nodeset.cfg): 5 nodes, deploy root /srv/zetaserver');
  assert.deepEqual(lines[1].split(/\s+/), ['node', 'short', 'role', 'kind', 'address', 'parts']);
  assert.deepEqual(lines[2].split(/\s+/), [
    'app1.zeta.test',
    'app1',
    'appserver',
    'appserver',
    '10.231.0.11',
    'instance1',
    'instance2',
    'instance3',
    'instance4',
  ]);
  assert.deepEqual(lines[5].split(/\s+/), [
    'balancer.zeta.test',
    'balancer',
    'balancer',
    'balancer',
    '10.231.0.20',
    'nginx',
    'varnish',
    'haproxy',
    'demo',
  ]);
  assert.deepEqual(lines[6].split(/\s+/), [
    'db.zeta.test',
    'db',
    'service-mysql',
    'service',
    '10.231.0.30',
    'mysql',
    'memcached',
  ]);
  assert.equal(lines[7], 'on every node: zodbpack-config supervisor');
  const json = JSON.parse(assemble(['-c', NODESET, 'nodeset', 'list', '--json']).stdout);
  assert.equal(json.name, 'example');
  assert.deepEqual(json.serial, [1, '50%']);
  assert.equal(json.keepReleases, 5);
  assert.equal(json.controlDir, path.join(ROOT, '.nodeset', 'example'));
  assert.deepEqual(
    json.roles.map((r: { name: string; kind: string; nodes: unknown[] }) => `${r.name} ${r.kind} ${r.nodes.length}`),
    ['appserver appserver 3', 'balancer balancer 1', 'service-mysql service 1'],
  );
});

test('nodeset ssh-config: a Host block per node; ssh-key adds IdentityFile and IdentitiesOnly', () => {
  const result = assemble([
    '-c',
    NODESET,
    'nodeset:ssh-key=/keys/deployer',
    'nodeset:ssh-user=deploy',
    'nodeset',
    'ssh-config',
  ]);
  assert.equal(result.status, 0, result.stderr);
  const blocks = result.stdout.trimEnd().split('\n\n');
  assert.equal(blocks.length, 5);
  assert.equal(
    blocks[1],
    [
      'Host app2 app2.zeta.test',
      '    HostName 10.231.0.12',
      '    User deploy',
      '    IdentityFile /keys/deployer',
      '    IdentitiesOnly yes',
    ].join('\n'),
  );
  assert.match(blocks[4], /^Host db db\.zeta\.test\n {4}HostName 10\.231\.0\.30\n/);
});

const refusals: Array<[string, string[], RegExp]> = [
  [
    'no subcommand',
    ['nodeset'],
    /^error\[BAD_USAGE\]: nodeset needs a subcommand\n {2}hint: subcommands are: list, ssh-config, assemble, annotate/,
  ],
  [
    'a misspelt subcommand',
    ['nodeset', 'lsit'],
    /^error\[BAD_USAGE\]: nodeset has no subcommand "lsit"\n {2}hint: did you mean "list"\?/,
  ],
  [
    'an option list does not take',
    ['nodeset', 'list', '--target', 'x'],
    /^error\[BAD_USAGE\]: nodeset list does not know the option "--target"\n {2}hint: nodeset list takes --json\./,
  ],
  ['assemble without a node', ['nodeset', 'assemble'], /^error\[BAD_USAGE\]: nodeset assemble needs a node name/],
  [
    '--target without its directory',
    ['nodeset', 'assemble', 'app1', '--target'],
    /^error\[BAD_USAGE\]: nodeset assemble --target needs a value/,
  ],
  [
    'an unknown node',
    ['nodeset', 'annotate', 'balancr'],
    /^error\[NODESET_UNKNOWN_NODE\]: the nodeset has no node "balancr" \(did you mean "balancer"\?\)\n {2}hint: its nodes are app1, app2, app3, balancer, db\./,
  ],
];

for (const [what, args, expected] of refusals) {
  test(`nodeset refuses ${what}: exit 2, the error on stderr, nothing on stdout`, () => {
    const result = assemble(['-c', NODESET, ...args]);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, expected);
    assert.equal(result.stdout, '');
  });
}
