/**
 * `bin/assemble apply` on the example deployment (real daemons, shifted ports): on a stack that
 * is not running, apply is install (the tree changes, nothing is started); on the running stack,
 * an nginx option is a reload (the same master) while a bounded request loop goes through nginx
 * -> varnish -> haproxy -> the instances, no request fails, and afterwards `plan` says nothing
 * to do (`--exit-code` exits 0).
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { SupervisedExample } from '../helpers/supervised-example';
import { underLoad } from '../helpers/request-loop';

let example: SupervisedExample;

before(
  async () => {
    example = await SupervisedExample.assemble();
  },
  { timeout: 240_000 },
);

after(
  async () => {
    await example?.teardown();
  },
  { timeout: 120_000 },
);

const nginxConf = (): string => readFileSync(path.join(example.dir, 'etc', 'nginx.conf'), 'utf8');

test(
  'apply on a stack that is not running is install: the file changes, nothing starts',
  { timeout: 240_000 },
  async () => {
    const result = await example.stack.assemble('nginx:read-timeout=186', 'apply');
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /the stack is not running: nothing to apply to programs/);
    assert.doesNotMatch(result.stderr, /applied /);
    assert.match(nginxConf(), /proxy_read_timeout 186s?;/);
    assert.equal(example.daemonPid(), undefined, 'no process manager was started');
    const plan = await example.stack.assemble('nginx:read-timeout=186', 'plan', '--exit-code');
    assert.equal(plan.status, 0, `plan after apply: ${plan.stdout}${plan.stderr}`);
  },
);

test(
  'an nginx option applied to the running stack: nginx reloads, no request fails, then nothing to do',
  { timeout: 300_000 },
  async () => {
    const started = await example.supervisord();
    await example.status().catch(() => undefined);
    assert.equal(started.status, 0, `bin/supervisord failed:\n${started.stderr}`);
    const nginxBefore = (await example.program('nginx')).pid;

    const pending = await example.stack.assemble('nginx:read-timeout=184', 'plan', '--exit-code');
    assert.equal(pending.status, 3, 'changes pending');
    assert.match(pending.stdout, /nginx.*reload/);

    const { result, answers } = await underLoad(example.stack.ports.http, () =>
      example.stack.assemble('nginx:read-timeout=184', 'apply'),
    );
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stderr, /applied +reload nginx: nginx reload: SIGHUP to its master/);
    assert.match(nginxConf(), /proxy_read_timeout 184s?;/);
    const failed = answers.filter((a) => a.status !== 200);
    assert.deepEqual(failed, [], `${failed.length} of ${answers.length} requests failed`);
    assert.ok(answers.length > 10, `only ${answers.length} requests were sent`);
    assert.equal((await example.program('nginx')).pid, nginxBefore, 'reloaded, not restarted');

    const after = await example.stack.assemble('nginx:read-timeout=184', 'plan', '--exit-code');
    assert.equal(after.status, 0, `plan after apply:\n${after.stdout}${after.stderr}`);
    assert.match(after.stdout, /nothing to do/);
  },
);
