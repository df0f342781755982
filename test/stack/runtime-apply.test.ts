/**
 * Changes applied to the running example stack (real daemons, shifted ports) while a bounded
 * request loop goes through nginx -> varnish -> haproxy -> the instances: each change is planned
 * (`supervisorctl update --plan --json`), applied under load (`update --json`), and planned
 * again. What was done must be what was planned, no request may fail, and the plan after it says
 * nothing to do. The cases share one stack and run in order.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { SupervisedExample } from '../helpers/supervised-example';
import { request } from '../helpers/http-probe';
import { freePorts } from '../helpers/ports';
import { requestOnce, underLoad, type LoopAnswer } from '../helpers/request-loop';

interface Change {
  program: string;
  action: string;
  how?: string;
  why?: string[];
  cost?: string;
}

let example: SupervisedExample;
let original: string;
let instance5Port: number;
/** Every assignment in force: each assembly repeats the earlier ones (the state is the last run's). */
const assignments: string[] = [];

before(
  async () => {
    example = await SupervisedExample.assemble();
    original = readFileSync(path.join(example.dir, 'deployment.cfg'), 'utf8');
    [instance5Port] = await freePorts(1);
    const started = await example.supervisord();
    await example.status().catch(() => undefined);
    assert.equal(started.status, 0, `bin/supervisord failed:\n${started.stderr}`);
  },
  { timeout: 240_000 },
);

after(
  async () => {
    await example?.teardown();
  },
  { timeout: 120_000 },
);

async function assemble(...more: string[]): Promise<void> {
  assignments.push(...more);
  const result = await example.stack.assemble(...assignments);
  assert.equal(result.status, 0, `assembly failed:\n${result.stderr}`);
}

async function plan(): Promise<{ running: boolean; changes: Change[] }> {
  const result = await example.ctl('update', '--plan', '--json');
  assert.equal(result.status, 0, result.stderr);
  return JSON.parse(result.stdout) as { running: boolean; changes: Change[] };
}

const pending = (changes: Change[]): string[] =>
  changes.filter((c) => c.action !== 'untouched').map((c) => `${c.program} ${c.action}`);

/** Plans, applies under load, plans again; returns the plan. */
async function applyUnderLoad(): Promise<{ planned: Change[]; answers: LoopAnswer[]; stderr: string }> {
  const planned = await plan();
  assert.equal(planned.running, true);
  const { result, answers } = await underLoad(example.stack.ports.http, () => example.ctl('update', '--json'));
  assert.equal(result.status, 0, result.stderr);
  const { done } = JSON.parse(result.stdout) as { done: Change[] };
  assert.deepEqual(
    done.map((c) => `${c.program} ${c.action}`),
    planned.changes.map((c) => `${c.program} ${c.action}`),
    'done is what was planned',
  );
  assert.deepEqual(pending((await plan()).changes), [], 'after update the plan says nothing to do');
  const failed = answers.filter((a) => a.status !== 200);
  assert.deepEqual(failed, [], `${failed.length} of ${answers.length} requests failed`);
  assert.ok(answers.length > 10, `only ${answers.length} requests were sent`);
  return { planned: planned.changes, answers, stderr: result.stderr };
}

test('nothing changed: the plan says nothing to do', async () => {
  assert.deepEqual(pending((await plan()).changes), []);
});

test('a haproxy option: haproxy reloads, no request fails', { timeout: 300_000 }, async () => {
  await assemble('haproxy:timeout-queue=59s');
  const { planned } = await applyUnderLoad();
  assert.deepEqual(pending(planned), ['haproxy reload']);
  assert.match(planned.find((c) => c.program === 'haproxy')!.how!, /haproxy reload: SIGUSR2/);
  // the new worker started from the old one's server states; the file is emptied after it
  assert.equal(readFileSync(path.join(example.dir, 'var/haproxy/servers.state'), 'utf8'), '1\n');
});

test('an nginx option: nginx reloads, no request fails', { timeout: 300_000 }, async () => {
  const before = (await example.program('nginx')).pid;
  await assemble('nginx:read-timeout=184');
  const { planned } = await applyUnderLoad();
  assert.deepEqual(pending(planned), ['nginx reload']);
  assert.match(planned.find((c) => c.program === 'nginx')!.how!, /nginx reload: SIGHUP to its master/);
  assert.equal((await example.program('nginx')).pid, before, 'reloaded, not restarted');
});

test('a varnish option that only changes its VCL: a VCL reload, no request fails', { timeout: 300_000 }, async () => {
  const before = (await example.program('varnish')).pid;
  await assemble('varnish:grace=9m');
  const { planned } = await applyUnderLoad();
  assert.deepEqual(pending(planned), ['varnish reload']);
  assert.match(planned.find((c) => c.program === 'varnish')!.how!, /^VCL reload: .*varnishreload.*vcl\.load, vcl\.use/);
  assert.equal((await example.program('varnish')).pid, before, 'reloaded, not restarted');
});

test(
  'an instance option (threads): the instances restart one at a time behind haproxy, no request fails',
  { timeout: 300_000 },
  async () => {
    const pids = Object.fromEntries((await example.status()).map((p) => [p.name, p.pid]));
    await assemble('instance:threads=3');
    assert.match(
      readFileSync(path.join(example.dir, 'etc/haproxy.conf'), 'utf8'),
      /server instance1 \S+ check maxconn 3 /,
      'haproxy follows the threads',
    );
    const { planned, answers, stderr } = await applyUnderLoad();
    assert.deepEqual(pending(planned), [
      'instance1 rolling-restart',
      'instance2 rolling-restart',
      'instance3 rolling-restart',
      'instance4 rolling-restart',
      'haproxy reload',
    ]);
    assert.match(planned.find((c) => c.program === 'instance1')!.why!.join(' '), /configuration changed/);
    const now = Object.fromEntries((await example.status()).map((p) => [p.name, p.pid]));
    for (const name of ['instance1', 'instance2', 'instance3', 'instance4'])
      assert.notEqual(now[name], pids[name], `${name} was restarted`);
    assert.equal(now.varnish, pids.varnish, 'varnish untouched');
    assert.equal(now.nginx, pids.nginx, 'nginx untouched');
    assert.match(stderr, /rolling-restarted instance1 in [\d.]+ s \(drained, restarted, UP again\)/);
    console.log(`rolling restart of 4 instances: ${answers.length} requests served meanwhile, none failed`);
  },
);

test(
  'a fifth instance: started, then haproxy reloads with it and sends it requests',
  { timeout: 300_000 },
  async () => {
    const text =
      original.replace('    instance4\n', '    instance4\n    instance5\n') +
      `\n[instance5]\n<= instance\nhttp-address = 127.0.0.1:${instance5Port}\n`;
    writeFileSync(path.join(example.dir, 'deployment.cfg'), text);
    await assemble('haproxy:backends=instance1 instance2 instance3 instance4 instance5');
    const { planned } = await applyUnderLoad();
    assert.deepEqual(pending(planned), ['instance5 start', 'haproxy reload']);
    const seen = new Set<string>();
    for (let i = 0; i < 40 && !seen.has('instance5'); i++)
      seen.add((await requestOnce(example.stack.ports.http, 1_000_000 + i)).instance ?? '');
    assert.ok(seen.has('instance5'), `haproxy never sent a request to instance5 (saw ${[...seen].join(', ')})`);
  },
);

test(
  'the fifth instance removed: drained, stopped, forgotten; haproxy reloads without it',
  { timeout: 300_000 },
  async () => {
    writeFileSync(path.join(example.dir, 'deployment.cfg'), original);
    assignments.splice(assignments.indexOf('haproxy:backends=instance1 instance2 instance3 instance4 instance5'), 1);
    await assemble();
    const { planned } = await applyUnderLoad();
    assert.deepEqual(pending(planned), ['instance5 stop', 'haproxy reload']);
    assert.match(
      planned.find((c) => c.program === 'instance5')!.how!,
      /drained through haproxy \(zope\/instance5\), then stopped/,
    );
    assert.equal(
      (await example.status()).some((p) => p.name === 'instance5'),
      false,
    );
  },
);

test(
  'a database password: MariaDB takes it online (its init file through the client), then the instances restart one at a time; no request fails',
  { timeout: 300_000 },
  async () => {
    const mysql = (await example.program('mysql')).pid;
    await assemble('passwords:database=another-secret-42');
    const { planned } = await applyUnderLoad();
    assert.deepEqual(pending(planned), [
      'mysql reload',
      'instance1 rolling-restart',
      'instance2 rolling-restart',
      'instance3 rolling-restart',
      'instance4 rolling-restart',
    ]);
    assert.match(planned.find((c) => c.program === 'mysql')!.how!, /source \S+mysql-init\.sql/);
    assert.equal((await example.program('mysql')).pid, mysql, 'reloaded, not restarted');
    assert.doesNotMatch(JSON.stringify(planned), /another-secret-42/);
    // every instance reaches the database with the new password
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        request(`http://127.0.0.1:${example.stack.ports.http}/db?n=${i}`, { headers: { host: 'localhost' } }),
      ),
    );
    assert.deepEqual(
      answers.filter((a) => a.status !== 200).map((a) => a.body),
      [],
    );
  },
);

test('varnish storage: a restart, and the plan says its cache is emptied', { timeout: 300_000 }, async () => {
  await assemble('varnish-options:storage=malloc,96M');
  const planned = await plan();
  const varnish = planned.changes.find((c) => c.program === 'varnish')!;
  assert.deepEqual(pending(planned.changes), ['varnish restart']);
  assert.deepEqual(varnish.why, ['its command line changed: -s malloc,128M -> -s malloc,96M']);
  assert.equal(varnish.cost, 'varnish restart empties its malloc cache');
  const applied = await example.ctl('update', '--json');
  assert.equal(applied.status, 0, applied.stderr);
  const { done } = JSON.parse(applied.stdout) as { done: Change[] };
  assert.deepEqual(
    done.map((c) => `${c.program} ${c.action}`),
    planned.changes.map((c) => `${c.program} ${c.action}`),
  );
  assert.deepEqual(pending((await plan()).changes), []);
});
