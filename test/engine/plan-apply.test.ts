/**
 * plan and apply on the demo recipes: the runtime hooks' report in the plan and in --json, the
 * exit status of --exit-code, a secret masked everywhere, apply doing what the plan said (in
 * the parts' order) and leaving nothing to do, and plan's bad input exiting 2.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { statSync, writeFileSync } from 'node:fs';
import { withDeployment } from '../helpers/deployment';

const CONFIG = `[buildout]
parts = db app
[db]
recipe = zetaserver-recipe-demo:runtime
content = one
password = Old-Secret-17
running = \${buildout:directory}/running
log = \${buildout:directory}/applied.log
[app]
recipe = zetaserver-recipe-demo:runtime
content = \${db:content} app
running = \${buildout:directory}/running
log = \${buildout:directory}/applied.log
`;

test('nothing changed: "nothing to do", --exit-code 0, --json says changes false', () =>
  withDeployment(CONFIG, (d) => {
    assert.equal(d.run().status, 0);
    const plan = d.run('plan', '--exit-code');
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /\nnothing to do\n$/);
    const json = JSON.parse(d.run('plan', '--json').stdout);
    assert.equal(json.changes, false);
    assert.deepEqual(json.files, []);
    assert.deepEqual(json.runtime, {
      running: false,
      programs: [
        { part: 'db', program: 'db', action: 'start' },
        { part: 'app', program: 'app', action: 'start' },
      ],
    });
  }));

test('a changed password is masked in reasons, the file diff and --json; --exit-code says 3', () =>
  withDeployment(CONFIG, (d) => {
    assert.equal(d.run().status, 0);
    writeFileSync(d.path('running'), '');
    const plan = d.run('db:password=New-Secret-42', 'plan', '--exit-code');
    assert.equal(plan.status, 3, plan.stderr);
    const json = d.run('db:password=New-Secret-42', 'plan', '--json');
    for (const text of [plan.stdout, plan.stderr, json.stdout]) {
      assert.doesNotMatch(text, /New-Secret-42|Old-Secret-17/);
    }
    assert.match(plan.stdout, /reinstall\s+db .*\n\s+because option password changed from "\*{8}" to "\*{8}"/);
    assert.match(plan.stdout, /changed\s+\S+\/parts\/db\/db\.conf {2}\[db\] \+1 -1\n/);
    assert.match(plan.stdout, /\n {4}-password \*{8}\n {4}\+password \*{8}\n/);
    assert.match(
      plan.stdout,
      new RegExp(
        [
          'running programs:',
          '\\s+restart\\s+db',
          '\\s+because its password changed',
          '\\s+cost: db restart drops its connections',
          '\\s+untouched\\s+app\n',
        ].join('\n'),
      ),
    );
    const report = JSON.parse(json.stdout);
    assert.equal(report.changes, true);
    const files = report.files.map((f: { path: string; change: string }) => [f.path, f.change]);
    assert.deepEqual(files, [[d.path('parts/db/db.conf'), 'changed']]);
  }));

test("apply installs, then does the plan's runtime actions in the parts' order; then nothing is to do", () =>
  withDeployment(CONFIG, (d) => {
    assert.equal(d.run().status, 0);
    writeFileSync(d.path('running'), '');
    const plan = JSON.parse(d.run('db:content=two', 'plan', '--json').stdout);
    const pending = plan.runtime.programs
      .filter((p: { action: string }) => p.action !== 'untouched')
      .map((p: { program: string; action: string }) => `${p.program}: ${p.action}`);
    assert.deepEqual(pending, ['db: reload', 'app: reload']);
    const apply = d.run('db:content=two', 'apply');
    assert.equal(apply.status, 0, apply.stderr);
    assert.match(apply.stderr, /applied {3}db: reload\n {2}applied {3}app: reload\n/);
    assert.equal(d.read('applied.log'), `${pending.join('\n')}\n`, 'apply did what the plan said, in order');
    assert.equal(d.read('parts/app/app.conf'), 'content two app\npassword \n');
    assert.equal(statSync(d.path('parts/db/db.conf')).mode & 0o777, 0o600);
    const again = d.run('db:content=two', 'plan', '--exit-code');
    assert.equal(again.status, 0, again.stdout);
    assert.match(again.stdout, /\nnothing to do\n$/);
  }));

test('apply with no running stack is install: nothing is applied to programs', () =>
  withDeployment(CONFIG, (d) => {
    const apply = d.run('apply');
    assert.equal(apply.status, 0, apply.stderr);
    assert.match(apply.stderr, /the stack is not running: nothing to apply to programs/);
    assert.ok(!d.exists('applied.log'));
    assert.equal(d.run('plan', '--exit-code').status, 0);
  }));

test('plan: no such part, an assignment after the command, an unknown flag: exit 2, nothing changed', () =>
  withDeployment(CONFIG, (d) => {
    assert.equal(d.run().status, 0);
    const before = d.read('.installed.json');
    const cases: Array<[string[], RegExp]> = [
      [['plan', 'NOSUCHPART'], /NOSUCHPART/],
      [['plan', 'db:content=three'], /db:content=three/],
      [['plan', '--colour'], /plan does not know the option "--colour"/],
      [['apply', 'NOSUCHPART'], /NOSUCHPART/],
    ];
    for (const [args, message] of cases) {
      const r = d.run(...args);
      assert.equal(r.status, 2, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    assert.equal(d.read('.installed.json'), before);
  }));

test('files a new part will write show as created (with their mode), those of a removed part as deleted', () =>
  withDeployment(CONFIG, (d) => {
    assert.equal(d.run('buildout:parts=db').status, 0);
    const adding = JSON.parse(d.run('plan', '--json').stdout);
    assert.deepEqual(
      adding.files.map((f: { path: string; change: string; mode?: object }) => [f.path, f.change, f.mode]),
      [[d.path('parts/app/app.conf'), 'created', { to: '0600' }]],
    );
    assert.equal(d.run().status, 0);
    const removing = d.run('buildout:parts=db', 'plan', '--exit-code');
    assert.equal(removing.status, 3);
    assert.match(removing.stdout, /uninstall\s+app .*\n\s+because it is no longer in parts\n/);
    assert.match(removing.stdout, new RegExp(`deleted {3}${d.path('parts/app/app.conf')} {2}\\[app\\] \\+0 -2\\n`));
  }));
