/**
 * The typed contract through the real engine, with a recipe shipped as a package would ship it
 * (test/fixtures/recipes/zetaserver-recipe-demo, `prepared`): what options() returns reaches
 * install and update of the same run; ctx.readInput makes the file an input of the part (an
 * edit reinstalls it); ctx.probe runs its program once and keeps the answer in the installed
 * state until the program changes; ctx.account answers from this machine's users.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { withDeployment, type Deployment } from '../helpers/deployment';

const CONFIG = `[buildout]
parts = found
[found]
recipe = zetaserver-recipe-demo:prepared
input = \${buildout:directory}/input.txt
probe = \${buildout:directory}/probe.sh
log = \${buildout:directory}/log.txt
`;

function probeScript(d: Deployment, answer: string): void {
  d.write('probe.sh', `#!/bin/sh\necho run >> "$(dirname "$0")/probe.log"\necho ${answer}\n`);
  chmodSync(d.path('probe.sh'), 0o755);
}

function probeRuns(d: Deployment): number {
  return d.exists('probe.log') ? d.read('probe.log').split('\n').filter(Boolean).length : 0;
}

function prepared(d: Deployment): { file: string; text: string; answer: string; uid: number | null } {
  return JSON.parse(d.read('parts/found/prepared.json'));
}

test('options() returns the prepared value; install writes it, update gets it', () =>
  withDeployment(CONFIG, (d) => {
    d.write('input.txt', 'first\n');
    probeScript(d, '42');
    const first = d.run('-q');
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(prepared(d), { file: d.path('parts/found/prepared.json'), text: 'first\n', answer: '42', uid: 0 });
    assert.equal(probeRuns(d), 1);
    const again = d.run('-q');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(
      d.read('log.txt'),
      `update ${JSON.stringify(prepared(d))}\n`,
      'update got the value, worked out again',
    );
    assert.equal(probeRuns(d), 1, "the probe's answer came from the installed state");
  }));

test('an edited input reinstalls the part, its probe stays cached', () =>
  withDeployment(CONFIG, (d) => {
    d.write('input.txt', 'first\n');
    probeScript(d, '42');
    assert.equal(d.run('-q').status, 0);
    d.write('input.txt', 'second\n');
    const plan = d.run('plan');
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /reinstall\s+found[^\n]*\n\s+because .*input\.txt changed/);
    assert.equal(d.run('-q').status, 0);
    assert.equal(prepared(d).text, 'second\n');
    assert.equal(probeRuns(d), 1, 'neither plan nor the reinstall ran the unchanged program again');
  }));

test('a changed program is probed again, and update receives the new answer', () =>
  withDeployment(CONFIG, (d) => {
    d.write('input.txt', 'first\n');
    probeScript(d, '42');
    assert.equal(d.run('-q').status, 0);
    probeScript(d, '43-upgraded');
    const r = d.run('-q');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(probeRuns(d), 2);
    assert.match(d.read('log.txt'), /"answer":"43-upgraded"/);
  }));
