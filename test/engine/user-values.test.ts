/**
 * A recipe may add options but must not change one the configuration sets: the engine refuses
 * ctx.set on a user-set option with another value (RECIPE_CHANGES_OPTION, exit 2, nothing made),
 * and the template recipe keeps `output` as written (annotate, query and the state show the
 * user's string; the file goes where it points).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import * as path from 'node:path';
import { withDeployment, type Deployment } from '../helpers/deployment';
import { exampleDeployment } from '../helpers/example-deployment';
import { resolveWithReference } from '../helpers/run';
import { referenceAvailable } from '../helpers/paths';

/** A recipe package of the test's own: `upper` derives `location` and sets `value` upper-cased. */
function installUpperRecipe(d: Deployment, accepts?: string[]): void {
  d.write(
    'node_modules/zeta-upper/package.json',
    JSON.stringify({ name: 'zeta-upper', version: '1.0.0', main: 'index.js' }),
  );
  d.write(
    'node_modules/zeta-upper/index.js',
    `'use strict';
module.exports = {
  name: 'upper', version: '1.0.0', ${accepts ? `accepts: ${JSON.stringify(accepts)},` : ''}
  options(ctx) {
    ctx.set('location', ctx.paths.part(ctx.name));
    ctx.set('value', ctx.options.required('value').toUpperCase());
  },
  async install(ctx) {
    await ctx.mkdir(ctx.options.required('location'));
  },
};
`,
  );
}

test(
  'a recipe that would change an option the user set is refused, located at the option; the same value, or ' +
    'an option nobody set, is fine',
  () =>
    withDeployment(
      `[buildout]
parts = p
[p]
recipe = zeta-upper
value = lower
`,
      (d) => {
        installUpperRecipe(d);
        for (const command of ['plan', 'install']) {
          const r = d.run(command);
          assert.equal(r.status, 2, r.stderr);
          assert.match(
            r.stderr,
            /^error\[RECIPE_CHANGES_OPTION\]: recipe zeta-upper would change option "value" of \[p\], which the configuration sets: the configuration gives "lower", the recipe "LOWER"/,
          );
          assert.match(r.stderr, /--> buildout\.cfg:5:9 {2}\[p\] value/);
          assert.match(
            r.stderr,
            /hint: if recipe zeta-upper derives "value" itself, remove it from \[p\]; otherwise this is a bug in the recipe/,
          );
          assert.doesNotMatch(r.stderr, /internal error|\n\s+at /);
        }
        assert.equal(d.exists('parts'), false, 'nothing was made');
        assert.equal(d.exists('.installed.json'), false);
        // the recipe's value is the user's already: nothing changes, nothing to refuse
        d.write('buildout.cfg', '[buildout]\nparts = p\n[p]\nrecipe = zeta-upper\nvalue = UPPER\n');
        const same = d.run();
        assert.equal(same.status, 0, same.stderr);
        assert.equal(d.state().parts.p.options.value, 'UPPER');
        assert.equal(d.state().parts.p.options.location, d.path('parts', 'p'));
        // an option the recipe derives, set by the user too: with a declaration the hint says to remove it
        installUpperRecipe(d, ['value']);
        d.write(
          'buildout.cfg',
          '[buildout]\nparts = p\n[p]\nrecipe = zeta-upper\nvalue = UPPER\nlocation = elsewhere\n',
        );
        const derived = d.run('plan');
        assert.equal(derived.status, 2, derived.stderr);
        assert.match(
          derived.stderr,
          /would change option "location" of \[p\], which the configuration sets: the configuration gives "elsewhere"/,
        );
        assert.match(
          derived.stderr,
          /hint: "location" is an option recipe zeta-upper derives, not one it reads: remove it from \[p\]\./,
        );
        // declared, and still changed: the recipe's bug, said so
        installUpperRecipe(d, ['value', 'location']);
        d.write('buildout.cfg', '[buildout]\nparts = p\n[p]\nrecipe = zeta-upper\nvalue = lower\n');
        assert.match(
          d.run('plan').stderr,
          /hint: this is a bug in recipe zeta-upper: a recipe may add options but must keep the value you set/,
        );
      },
    ),
);

test(
  'a value changed from a macro or the command line is located there, and a secret-looking option is ' + 'not printed',
  () =>
    withDeployment(
      `[buildout]
parts = p
[base]
value = from-macro
[p]
<= base
recipe = zeta-upper
`,
      (d) => {
        installUpperRecipe(d);
        const macro = d.run('plan');
        assert.equal(macro.status, 2);
        assert.match(macro.stderr, /--> buildout\.cfg:4:9 {2}\[p\] value/, 'at the macro line the value came from');
        const line = d.run('p:value=cli', 'plan');
        assert.match(line.stderr, /the configuration gives "cli", the recipe "CLI"/);
        d.write(
          'node_modules/zeta-upper/index.js',
          `'use strict';
module.exports = { name: 'upper', version: '1.0.0', options(ctx) { ctx.set('password', 'changed'); }, async install() {} };
`,
        );
        d.write('buildout.cfg', '[buildout]\nparts = p\n[p]\nrecipe = zeta-upper\npassword = s3cret-value\n');
        const secret = d.run('plan');
        assert.equal(secret.status, 2);
        assert.match(secret.stderr, /would change option "password" of \[p\], which the configuration sets\n/);
        assert.match(secret.stderr, /set at buildout\.cfg:5 \(its value is not shown\)/);
        assert.doesNotMatch(secret.stderr, /s3cret-value|changed"/);
      },
    ),
);

test(
  'template keeps output as written: annotate, query and the state show the string, the file goes where ' + 'it points',
  () =>
    withDeployment('', (d) => {
      const beside = `${path.basename(d.dir)}-out`; // outside the tree, unique to this run
      d.write(
        'buildout.cfg',
        `[buildout]\nparts = t\n[t]\nrecipe = collective.recipe.template\ninline = hello\noutput = ` +
          `\${buildout:directory}/../${beside}/x.txt\n`,
      );
      const written = `${d.dir}/../${beside}/x.txt`;
      const out = path.resolve(written);
      try {
        assert.equal(d.run('query', 't:output').stdout, `${written}\n`);
        const json = JSON.parse(d.run('annotate', '--json').stdout);
        assert.equal(json.sections.t.output, written);
        const r = d.run();
        assert.equal(r.status, 0, r.stderr);
        assert.equal(readFileSync(out, 'utf8'), 'hello');
        assert.equal(d.state().parts.t.options.output, written, "the state records the user's value");
        assert.ok(d.state().parts.t.paths.includes(out), 'the path made is recorded where it is');
        // a relative output is relative to the buildout directory, and stays relative in the options
        d.write('buildout.cfg', '[buildout]\nparts = t\n[t]\nrecipe = template\ninline = again\noutput = sub/y.txt\n');
        const again = d.run();
        assert.equal(again.status, 0, again.stderr);
        assert.equal(d.read('sub/y.txt'), 'again');
        assert.equal(d.state().parts.t.options.output, 'sub/y.txt');
        assert.equal(d.run('query', 't:output').stdout, 'sub/y.txt\n');
      } finally {
        rmSync(path.dirname(out), { recursive: true, force: true });
      }
    }),
);

test(
  'the example deployment: every option the configuration sets resolves as zc.buildout resolves it, after ' +
    'every recipe ran (values a recipe would normalise included)',
  { skip: !referenceAvailable() && 'python3-zc.buildout is not installed' },
  async () => {
    const example = await exampleDeployment('zeta-user-values-');
    try {
      // values the recipes used to normalise: relative paths, a trailing slash, a bare port, "02"
      const written = [
        'varnish:socket=var/varnish-front.sock',
        'varnish:admin=${ports:varnish-admin}',
        'nginx:htdocs=htdocs/',
        'nginx:fallback=/system_error/',
        'mysql:datadir=var/db',
        'mysql:socket=var/mysqld.sock',
        'instance1:threads=02',
        'zodbpack-config:output=${buildout:directory}/etc/../etc/zodbpack.conf',
      ];
      const args = [...example.overrides, ...written];
      const ours = await example.assemble(...written, 'annotate', '--json');
      assert.equal(ours.status, 0, ours.stderr);
      assert.equal(ours.stderr, '', 'every part ran its options phase (nothing skipped, nothing warned)');
      const sections = (JSON.parse(ours.stdout) as { sections: Record<string, Record<string, string>> }).sections;
      const [reference] = resolveWithReference([{ file: path.join(example.dir, example.config), args }]);
      assert.ok('sections' in reference, JSON.stringify(reference));
      let compared = 0;
      for (const [section, options] of Object.entries(reference.sections)) {
        if (!options.recipe) continue; // the parts: what a recipe could change
        for (const [option, value] of Object.entries(options)) {
          assert.equal(sections[section]?.[option], value, `[${section}] ${option}`);
          compared++;
        }
      }
      assert.ok(compared > 100, `compared ${compared} options`);
      assert.equal(sections.nginx.htdocs, 'htdocs/');
      assert.equal(sections.instance1.threads, '02');
      assert.ok(sections.nginx['config-file'], 'derived options are still added');
    } finally {
      example.cleanup();
    }
  },
);
