/**
 * bin/assemble's arguments: part names after install and plan must name parts (plan PART plans
 * only it and what it needs, as install PART installs), and an assignment after the command is an
 * error that prints the command line with it moved before the command. A rejected run touches
 * nothing.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { withDeployment } from '../helpers/deployment';

const DEMO = 'zetaserver-recipe-demo';
const CONFIG = `[buildout]
parts = base app other
[base]
recipe = ${DEMO}
content = base
[app]
recipe = ${DEMO}
content = \${base:location}
[other]
recipe = ${DEMO}
content = other
[data]
x = 1
[orphan]
recipe = ${DEMO}
content = orphan
`;

test('plan PART plans only it and the parts it needs; install and plan refuse a name that is no part', () =>
  withDeployment(CONFIG, (d) => {
    const plan = d.run('plan', 'app');
    assert.equal(plan.status, 0, plan.stderr);
    assert.match(plan.stdout, /install\s+base[^]*install\s+app/);
    assert.doesNotMatch(plan.stdout, /other/);
    for (const command of ['plan', 'install']) {
      const typo = d.run(command, 'ohter');
      assert.equal(typo.status, 2, typo.stderr);
      assert.match(
        typo.stderr,
        new RegExp(`(^|\\n)error\\[UNKNOWN_PART\\]: ${command} "ohter": there is no part named "ohter"`),
      );
      assert.match(typo.stderr, /hint: did you mean "other"\?/);
      const far = d.run(command, 'NOSUCHPART');
      assert.equal(far.status, 2);
      assert.match(far.stderr, /there is no part named "NOSUCHPART"\n  hint: the parts are: base, app, other\./);
      const data = d.run(command, 'data');
      assert.match(data.stderr, /there is no part named "data" \(it is a section without a recipe\)/);
      const orphan = d.run(command, 'orphan');
      assert.match(
        orphan.stderr,
        /\(the section has a recipe, but neither \[buildout\] parts nor a part refers to it\)/,
      );
      // one bad name among good ones still refuses the whole run
      assert.equal(d.run(command, 'app', 'nosuch').status, 2);
    }
    assert.equal(d.exists('parts'), false, 'a refused install made nothing');
    assert.equal(d.exists('.installed.json'), false);
    const install = d.run('install', 'app');
    assert.equal(install.status, 0, install.stderr);
    assert.deepEqual(d.state().order, ['base', 'app']);
    // plan PART leaves the other installed parts out, and plans no uninstall
    d.write('buildout.cfg', CONFIG.replace('parts = base app other', 'parts = other'));
    const partial = d.run('plan', 'other');
    assert.equal(partial.status, 0, partial.stderr);
    assert.doesNotMatch(partial.stdout, /uninstall/);
    assert.match(d.run('plan').stdout, /uninstall\s+app[^]*uninstall\s+base/);
  }));

test('an assignment after the command is an error that shows the corrected command line', () =>
  withDeployment(CONFIG, (d) => {
    // argv, what the message says, the corrected command line shown, that line as argv
    const cases: Array<[string[], RegExp, string, string[]]> = [
      [
        ['plan', 'a:b=c'],
        /"a:b=c" comes after the command "plan": assignments go before the command, or it would be read as part names/,
        'bin/assemble a:b=c plan',
        ['a:b=c', 'plan'],
      ],
      [
        ['plan', 'app', 'base:content=x'],
        /"base:content=x" comes after the command "plan"/,
        'bin/assemble base:content=x plan app',
        ['base:content=x', 'plan', 'app'],
      ],
      [
        ['-c', 'buildout.cfg', '-v', 'annotate', 'x=1', 'base', 'y+=2'],
        /"x=1", "y\+=2" come after the command "annotate": [^]*or they would be read as section names/,
        'bin/assemble -c buildout.cfg -v x=1 y+=2 annotate base',
        ['-c', 'buildout.cfg', '-v', 'x=1', 'y+=2', 'annotate', 'base'],
      ],
      [
        ['query', "base:content=it's", 'base:content'],
        /what to query/,
        "bin/assemble 'base:content=it'\\''s' query base:content",
        ["base:content=it's", 'query', 'base:content'],
      ],
      [
        ['install', 'a:b=two\nlines'],
        /"a:b=two\\nlines" comes after the command "install"/,
        "bin/assemble $'a:b=two\\x0alines' install",
        [],
      ],
    ];
    for (const [argv, message, corrected, fixed] of cases) {
      const r = d.run(...argv);
      assert.equal(r.status, 2, `${argv.join(' ')}: ${r.stderr}`);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^error\[MISPLACED_ASSIGNMENT\]: /);
      assert.match(r.stderr, message);
      const them = argv.filter((a) => a.includes('=')).length > 1 ? 'them' : 'it';
      assert.ok(r.stderr.includes(`hint: put ${them} before the command: ${corrected}\n`), r.stderr);
      // the corrected line is what the user meant: it runs
      if (fixed.length) {
        const again = d.run(...fixed);
        assert.equal(again.status, 0, `${corrected}: ${again.stderr}`);
      }
    }
    assert.equal(d.exists('parts'), false, 'nothing was installed');
  }));

test('what the user typed is shown quoted, shortened and with control characters visible; timeouts are bounded', () =>
  withDeployment(CONFIG, (d) => {
    const control = d.run('plan\x1b[31m');
    assert.equal(control.status, 2);
    assert.ok(control.stderr.includes('unknown command "plan\\u001b[31m"'), control.stderr);
    assert.doesNotMatch(control.stderr, /\x1b/);
    const long = d.run(`${'x'.repeat(5000)}`);
    assert.match(long.stderr, /unknown command "x{77}\.\.\."\n/);
    const section = d.run('annotate', `${'s'.repeat(500)}`);
    assert.match(section.stderr, /there is no section \[s{77}\.\.\.\]/);
    for (const bad of ['0', '86401', '99999999999999999999', '1.5']) {
      const r = d.run('-t', bad, 'plan');
      assert.equal(r.status, 2, bad);
      assert.match(r.stderr, /-t needs a timeout in whole seconds, from 1 to 86400/);
    }
    assert.equal(d.run('-t', '86400', 'plan').status, 0);
    const option = d.run('buildout:socket-timeout=soon', 'plan');
    assert.equal(option.status, 2);
    assert.match(
      option.stderr,
      /error\[BAD_OPTION\]: socket-timeout must be a whole number of seconds from 1 to 86400, not "soon"/,
    );
  }));
