/**
 * plan on the example deployment, assembled in a temporary directory on free ports (no stack
 * started): nothing to do after install, an nginx option shows nginx.conf's diff, a password
 * change is masked in the reasons, the diff and --json, varnish's storage is explained through
 * the supervisor's program table (no digest shown), and apply of a change leaves nothing to do.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import * as path from 'node:path';
import { exampleDeployment, type ExampleDeployment } from '../helpers/example-deployment';

let example: ExampleDeployment;
const NEW_PASSWORD = 'Plan-Check-Secret-93';

before(async () => {
  example = await exampleDeployment('zeta-plan-');
  const install = await example.assemble();
  assert.equal(install.status, 0, install.stderr);
});
after(() => example?.cleanup());

test('unchanged: plan says nothing to do and --exit-code exits 0; --json says no changes', async () => {
  const plan = await example.assemble('plan', '--exit-code');
  assert.equal(plan.status, 0, plan.stdout + plan.stderr);
  assert.match(plan.stdout, /\nnothing to do\n$/);
  const json = JSON.parse((await example.assemble('plan', '--json')).stdout);
  assert.equal(json.changes, false);
  assert.deepEqual(json.files, []);
  assert.ok(json.parts.every((p: { action: string }) => p.action === 'update' || p.action === 'nothing'));
});

test("an nginx option: nginx reinstalls and the plan shows nginx.conf's diff; --exit-code exits 3", async () => {
  const plan = await example.assemble('nginx:worker-connections=2048', 'plan', '--exit-code');
  assert.equal(plan.status, 3, plan.stderr);
  const reason = /reinstall\s+nginx\s+nginx\n\s+because option worker-connections changed from "\d+" to "2048"/;
  assert.match(plan.stdout, reason);
  const conf = path.join(example.dir, 'etc', 'nginx.conf');
  assert.ok(plan.stdout.includes(`changed   ${conf}  [nginx] +1 -1\n    --- ${conf}\n    +++ ${conf}\n`), plan.stdout);
  assert.match(plan.stdout, / {4}- {4}worker_connections \d+;\n {4}\+ {4}worker_connections 2048;\n/);
  assert.doesNotMatch(plan.stdout, /\x1b\[/, 'no colour when standard output is no terminal');
});

test('a password change is masked in the reasons, the diff and --json, never shown in clear', async () => {
  const plan = await example.assemble(`passwords:haproxy-admin=${NEW_PASSWORD}`, 'plan');
  const json = await example.assemble(`passwords:haproxy-admin=${NEW_PASSWORD}`, 'plan', '--json');
  assert.equal(plan.status, 0, plan.stderr);
  for (const text of [plan.stdout, plan.stderr, json.stdout]) {
    assert.ok(!text.includes(NEW_PASSWORD), 'the new password is masked');
    assert.doesNotMatch(text, /admin:secret\b|"secret"/, 'the old password is masked');
  }
  assert.match(plan.stdout, /because option stats-password changed from "\*{8}" to "\*{8}"/);
  assert.match(plan.stdout, /haproxy\.conf {2}\[haproxy\] \+1 -1\n/);
  assert.match(plan.stdout, /\n {4}-\s+stats auth admin:\*{8}\n {4}\+\s+stats auth admin:\*{8}\n/);
  const report = JSON.parse(json.stdout);
  const file = report.files.find((f: { path: string }) => f.path.endsWith('/etc/haproxy.conf'));
  assert.match(file.diff, /\+\s+stats auth admin:\*{8}/);
});

test("varnish storage: the supervisor's reason is its program's command line, not a digest", async () => {
  const plan = await example.assemble('varnish-options:storage=malloc,256M', 'plan');
  assert.equal(plan.status, 0, plan.stderr);
  assert.match(plan.stdout, /reinstall\s+supervisor .*\n\s+because program varnish: command: /);
  assert.match(plan.stdout, /program varnish: command: \.\.\. -s malloc,128M .*-> .*-s malloc,256M/);
  assert.doesNotMatch(plan.stdout, /[0-9a-f]{40}/, 'no hash as a reason');
  assert.match(plan.stdout, /changed\s+\S+\/parts\/supervisor\/supervisor\.json/);
});

test('apply of a password change, no stack running, is install; files stay 0600; then nothing is to do', async () => {
  const apply = await example.assemble(`passwords:haproxy-admin=${NEW_PASSWORD}`, 'apply');
  assert.equal(apply.status, 0, apply.stderr);
  assert.equal(statSync(path.join(example.dir, 'etc', 'haproxy.conf')).mode & 0o777, 0o600);
  assert.equal(statSync(path.join(example.dir, 'parts', 'supervisor', 'supervisor.json')).mode & 0o777, 0o600);
  const plan = await example.assemble(`passwords:haproxy-admin=${NEW_PASSWORD}`, 'plan', '--exit-code');
  assert.equal(plan.status, 0, plan.stdout);
  assert.match(plan.stdout, /\nnothing to do\n$/);
});
