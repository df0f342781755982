/**
 * Typos that used to pass silently: an option of a part that its recipe does not declare and
 * nothing uses (UNKNOWN_OPTION: a warning with the nearest known name, an error with
 * allow-unknown-options = false), and a section nothing reads (UNUSED_SECTION, with the nearest
 * used name). Both are located at the line that wrote them; annotate shows them only with -v.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { withDeployment, type Deployment } from '../helpers/deployment';
import { exampleDeployment } from '../helpers/example-deployment';

const warnings = (stderr: string, code: string): string[] =>
  stderr.split('\n').filter((line) => line.startsWith(`warning[${code}]`));

test(
  'an unknown option of a built-in recipe is a warning at its line with the nearest known name; plan and ' +
    'install go on',
  () =>
    withDeployment(
      `[buildout]
parts = t
[t]
recipe = template
inline = hello
moed = 0600
output = \${buildout:directory}/out.txt
`,
      (d) => {
        for (const command of ['plan', 'install']) {
          const r = d.run(command);
          assert.equal(r.status, 0, r.stderr);
          assert.match(
            r.stderr,
            /^warning\[UNKNOWN_OPTION\]: \[t\] has option "moed", which recipe template does not know and nothing refers to\n {2}--> buildout\.cfg:6:1 {2}\[t\] moed\n[^]*\n {2}hint: did you mean "mode"\?\n/,
          );
        }
        assert.equal(d.read('out.txt'), 'hello');
        assert.equal(d.run('-q', 'plan').stderr, '', '-q keeps warnings quiet');
      },
    ),
);

test(
  'an option is known when declared, when a template uses it, when another section or recipe reads it; ' +
    "buildout's own keys are never unknown",
  () =>
    withDeployment(
      `[buildout]
parts = t
[base]
greeting = hello
[settings]
size = \${t:extra}
[t]
<= base
=> helper
recipe = template
input = t.in
name = world
extra = 3
output = \${buildout:directory}/out.txt
[helper]
recipe = template
inline = helper
output = \${buildout:directory}/helper.txt
`,
      (d) => {
        d.write('t.in', '${greeting} {{name}} ${settings:size}\n');
        const r = d.run('plan');
        assert.equal(r.status, 0, r.stderr);
        assert.equal(
          r.stderr,
          '',
          'no warning: greeting (macro, ${greeting}), name ({{name}}), extra (${t:extra}), <= and =>',
        );
        // a typo that comes from a macro is located in the macro
        d.write('buildout.cfg', d.read('buildout.cfg').replace('greeting = hello', 'greeting = hello\nouptut = x'));
        const macro = d.run('plan');
        assert.equal(macro.status, 0, macro.stderr);
        assert.match(
          macro.stderr,
          /\[t\] has option "ouptut"[^]*--> buildout\.cfg:5:1 {2}\[t\] ouptut[^]*did you mean "output"\?/,
        );
        // one from the command line says so
        const line = d.run('t:inptu=x', 'plan');
        assert.match(
          line.stderr,
          /\[t\] has option "inptu" \(set on the command line: t:inptu=x\)[^]*did you mean "input"\?/,
        );
      },
    ),
);

test(
  'allow-unknown-options = false: every unknown option at once, exit 2, nothing made; a value that is not a ' +
    'boolean is located',
  () =>
    withDeployment(
      `[buildout]
parts = t
allow-unknown-options = false
[t]
recipe = template
inline = hello
moed = 0600
otuput = x
output = \${buildout:directory}/out.txt
`,
      (d) => {
        for (const command of ['plan', 'install']) {
          const r = d.run(command);
          assert.equal(r.status, 2, r.stderr);
          assert.match(
            r.stderr,
            /^error\[UNKNOWN_OPTION\]: \[t\] has option "moed"[^]*error\[UNKNOWN_OPTION\]: \[t\] has option "otuput"[^]*did you mean "output"\?[^]*\n\n2 errors\n/,
          );
          assert.match(
            r.stderr,
            /while: checking the parts' option names \(\[buildout\] allow-unknown-options = false\)/,
          );
        }
        assert.equal(d.exists('out.txt'), false);
        assert.equal(d.exists('.installed.json'), false);
        // the command line can relax (or tighten) it
        assert.equal(d.run('buildout:allow-unknown-options=true', 'plan').status, 0);
        d.write(
          'buildout.cfg',
          d.read('buildout.cfg').replace('allow-unknown-options = false', 'allow-unknown-options = maybe'),
        );
        const bad = d.run('plan');
        assert.equal(bad.status, 2);
        assert.match(
          bad.stderr,
          /error\[BAD_BOOLEAN\]: option "allow-unknown-options" of \[buildout\] must be true or false, not "maybe"\n {2}--> buildout\.cfg:3:25/,
        );
      },
    ),
);

/** An npm recipe that declares `value` and the `env-*` family. */
function installDeclaredRecipe(d: Deployment): void {
  d.write(
    'node_modules/zeta-declared/package.json',
    JSON.stringify({ name: 'zeta-declared', version: '1.0.0', main: 'index.js' }),
  );
  d.write(
    'node_modules/zeta-declared/index.js',
    `'use strict';
module.exports = { name: 'declared', version: '1.0.0', accepts: ['value', 'env-*'], options(ctx) { ctx.set('location', ctx.paths.part(ctx.name)); }, async install() {} };
`,
  );
}

test('npm recipes: one without a declaration is not checked; one with names and patterns is', () =>
  withDeployment(
    `[buildout]
parts = old new
[old]
recipe = zetaserver-recipe-demo
content = x
anything = goes
[new]
recipe = zeta-declared
value = 1
env-HOME = /root
env-LANG = C
vlaue = 2
`,
    (d) => {
      installDeclaredRecipe(d);
      const r = d.run('plan');
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(warnings(r.stderr, 'UNKNOWN_OPTION'), [
        'warning[UNKNOWN_OPTION]: [new] has option "vlaue", which recipe zeta-declared does not know and ' +
          'nothing refers to',
      ]);
      assert.match(r.stderr, /did you mean "value"\?/);
    },
  ));

test(
  'a section nothing reads is reported at its header with the nearest used name; macros, versions and ' +
    "buildout's tools count as readers",
  () =>
    withDeployment(
      `[buildout]
parts = t
versions = pins
[pins]
[versionannotations]
x = why
[settings]
size = 3
[setting]
size = 4
[base]
<= grandbase
[grandbase]
mode = 0644
[t]
<= base
recipe = template
inline = \${settings:size}
output = \${buildout:directory}/out.txt
[lonely]
x = \${island:y}
[island]
y = 1
`,
      (d) => {
        const r = d.run('plan');
        assert.equal(r.status, 0, r.stderr);
        assert.deepEqual(
          warnings(r.stderr, 'UNUSED_SECTION'),
          [
            'warning[UNUSED_SECTION]: section [setting] is not used: no part, reference, macro or recipe reads it',
            'warning[UNUSED_SECTION]: section [lonely] is not used: no part, reference, macro or recipe reads it',
            'warning[UNUSED_SECTION]: section [island] is not used: no part, reference, macro or recipe reads it',
          ],
          'a section read only by an unused one is unused too',
        );
        assert.match(
          r.stderr,
          /section \[setting\] is not used[^\n]*\n {2}--> buildout\.cfg:9:1 {2}\[setting\]\n[^]*hint: did you mean \[settings\]\? \(a misspelt header leaves the section it meant at its defaults\)/,
        );
        assert.match(
          r.stderr,
          /section \[lonely\][^]*hint: remove it, or use it: list it in \[buildout\] parts, refer to it \(\$\{lonely:option\}\) or copy it \("<= lonely"\)\./,
        );
        // annotate is quiet about both unless asked (-v)
        assert.equal(d.run('annotate').stderr, '');
        const verbose = d.run('-v', 'annotate', 't');
        assert.equal(verbose.status, 0, verbose.stderr);
        assert.equal(warnings(verbose.stderr, 'UNUSED_SECTION').length, 3);
        // a section given only on the command line is reported too
        const typo = d.run('setings:size=5', 'plan');
        assert.match(typo.stderr, /section \[setings\] is not used[^]*did you mean \[settings\]\?/);
      },
    ),
);

test(
  'the example deployment: no warning as it is; a misspelt option or section header is reported where it ' +
    'was written',
  async () => {
    const example = await exampleDeployment('zeta-names-');
    try {
      const clean = await example.assemble('plan');
      assert.equal(clean.status, 0, clean.stderr);
      assert.equal(clean.stderr, '', 'no unknown option and no unused section in deployment.cfg');
      const verbose = await example.assemble('-v', 'annotate', 'buildout');
      assert.equal(verbose.stderr, '', 'nor in annotate -v');
      writeFileSync(
        path.join(example.dir, 'typos.cfg'),
        '[buildout]\nextends = deployment.cfg\n\n[instance2]\nhttp-adress = ' +
          '127.0.0.1:1\n\n[varnish-option]\nstorage = malloc,1G\n',
      );
      const typos = await example.assemble('-c', 'typos.cfg', 'plan');
      assert.equal(typos.status, 0, typos.stderr);
      assert.match(
        typos.stderr,
        /warning\[UNKNOWN_OPTION\]: \[instance2\] has option "http-adress", which recipe plone\.recipe\.zope2instance does not know[^\n]*\n {2}--> typos\.cfg:5:1 {2}\[instance2\] http-adress\n[^]*hint: did you mean "http-address"\?/,
      );
      assert.match(
        typos.stderr,
        /warning\[UNUSED_SECTION\]: section \[varnish-option\] is not used[^\n]*\n {2}--> typos\.cfg:7:1 [^]*hint: did you mean \[varnish-options\]\?/,
      );
      assert.equal(
        warnings(typos.stderr, 'UNKNOWN_OPTION').length + warnings(typos.stderr, 'UNUSED_SECTION').length,
        2,
        typos.stderr,
      );
    } finally {
      example.cleanup();
    }
  },
);
