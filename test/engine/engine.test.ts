/**
 * The parts engine through the real CLI: dependency order, what a re-run redoes and why,
 * uninstalls, failures and their rollback, `plan`, `install PART`, npm-package recipes.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { withDeployment } from '../helpers/deployment';

const DEMO = 'zetaserver-recipe-demo';

test('parts install in dependency order; ties keep the parts order; a cycle prints its path', () =>
  withDeployment(
    `[buildout]
parts = app config data
[data]
recipe = ${DEMO}
content = data
log = \${buildout:directory}/log.txt
[urls]
backend = \${config:location}/x
[app]
recipe = ${DEMO}
content = \${urls:backend}
log = \${buildout:directory}/log.txt
[config]
recipe = ${DEMO}
content = config
log = \${buildout:directory}/log.txt
[implicit]
recipe = ${DEMO}
content = implicit
log = \${buildout:directory}/log.txt
`,
    (d) => {
      const r = d.run();
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(
        d.read('log.txt').trim().split('\n'),
        ['install config', 'install app', 'install data'],
        'config (referenced through [urls]) before app; data last',
      );
      assert.deepEqual(d.state().order, ['config', 'app', 'data']);
      d.write(
        'buildout.cfg',
        `[buildout]\nparts = a\n[a]\nrecipe = ${DEMO}\ncontent = \${b:location}\n[b]\nrecipe = ` +
          `${DEMO}\ncontent = \${c:location}\n[c]\nrecipe = ${DEMO}\ncontent = \${a:content}\n`,
      );
      const cycle = d.run('plan');
      assert.equal(cycle.status, 2);
      assert.match(cycle.stderr, /error\[PART_CYCLE\]: parts depend on each other in a circle: a -> b -> c -> a/);
    },
  ));

test('a re-run redoes only what changed, and plan says why', () =>
  withDeployment(
    `[buildout]
parts = one two
[ports]
http = 8000
[one]
recipe = ${DEMO}
content = port \${ports:http}
log = \${buildout:directory}/log.txt
[two]
recipe = ${DEMO}
content = fixed
log = \${buildout:directory}/log.txt
`,
    (d) => {
      assert.equal(d.run().status, 0);
      const plan = d.run('ports:http=9000', 'plan');
      assert.equal(plan.status, 0, plan.stderr);
      assert.match(
        plan.stdout,
        /reinstall\s+one\s+zetaserver-recipe-demo\n\s+because \$\{ports:http\} changed from "8000" to "9000"\n\s+because option content changed from "port 8000" to "port 9000"/,
      );
      assert.match(plan.stdout, /update\s+two/);
      assert.equal(d.read('log.txt'), 'install one\ninstall two\n', 'plan touched nothing');
      const again = d.run('ports:http=9000');
      assert.equal(again.status, 0, again.stderr);
      assert.equal(d.read('log.txt'), 'install one\ninstall two\nuninstall one\ninstall one\nupdate two\n');
      assert.equal(d.read('parts/one/out.txt'), 'port 9000\n');
    },
  ));

test('a recorded path that is gone reinstalls the part; a removed part is uninstalled, deleting only its paths', () =>
  withDeployment(
    `[buildout]
parts = one two
[one]
recipe = ${DEMO}
content = one
[two]
recipe = ${DEMO}
content = two
`,
    (d) => {
      assert.equal(d.run().status, 0);
      d.write('parts/two/mine.txt', 'an operator file inside a part directory\n');
      d.write('keep/notes.txt', 'not recorded by anyone\n');
      require('node:fs').rmSync(d.path('parts/one/out.txt'));
      const plan = d.run('plan');
      assert.match(plan.stdout, /reinstall\s+one[^\n]*\n\s+because .*parts\/one\/out\.txt is gone/);
      assert.equal(d.run().status, 0);
      assert.equal(d.read('parts/one/out.txt'), 'one\n');
      d.write('buildout.cfg', `[buildout]\nparts = two\n[two]\nrecipe = ${DEMO}\ncontent = two\n`);
      const r = d.run();
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stderr, /uninstall\s+one/);
      assert.ok(!d.exists('parts/one'), "the uninstalled part's paths are gone");
      assert.ok(d.exists('parts/two/out.txt') && d.exists('keep/notes.txt'), 'nothing else is touched');
      assert.deepEqual(d.state().order, ['two']);
    },
  ));

test(
  'a failing part removes what it made, keeps the parts before it, names part and recipe, and the next ' +
    'run resumes',
  () =>
    withDeployment(
      `[buildout]
parts = good bad later
[good]
recipe = ${DEMO}
content = good
[bad]
recipe = ${DEMO}:fail
message = the disk is full
[later]
recipe = ${DEMO}
content = later
`,
      (d) => {
        const r = d.run();
        assert.equal(r.status, 2);
        assert.match(
          r.stderr,
          /error\[RECIPE_FAILED\]: recipe zetaserver-recipe-demo:fail failed for part \[bad\]: the disk is full/,
        );
        assert.match(r.stderr, /while: installing part \[bad\] \(recipe zetaserver-recipe-demo:fail\)/);
        assert.doesNotMatch(r.stderr, /at .*index\.js/, 'no stack trace without --debug');
        assert.ok(!d.exists('parts/bad'), "the failed part's directory is removed");
        assert.ok(!d.exists('.installed.json.journal'));
        assert.deepEqual(d.state().order, ['good']);
        d.write(
          'buildout.cfg',
          d.read('buildout.cfg').replace(`${DEMO}:fail\nmessage = the disk is full`, `${DEMO}\ncontent = fixed`),
        );
        const resumed = d.run();
        assert.equal(resumed.status, 0, resumed.stderr);
        assert.doesNotMatch(resumed.stderr, /install\s+good/, 'good is not installed again');
        assert.deepEqual(d.state().order, ['good', 'bad', 'later']);
      },
    ),
);

test('a failing command shows its command, status, directory and last lines', () =>
  withDeployment(
    `[buildout]
parts = bad
[bad]
recipe = ${DEMO}:fail
exec = yes
`,
    (d) => {
      const r = d.run();
      assert.equal(r.status, 2);
      assert.match(r.stderr, /error\[EXEC_FAILED\]: make: sh exited with status 3/);
      assert.match(r.stderr, /command: +sh -c 'echo compiling/);
      assert.match(r.stderr, /directory: .*parts\/bad/);
      assert.match(r.stderr, /\| error: something broke/);
    },
  ));

test('install PART installs only it and what it needs; unknown names suggest', () =>
  withDeployment(
    `[buildout]
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
`,
    (d) => {
      const r = d.run('install', 'app');
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual(d.state().order, ['base', 'app']);
      const bad = d.run('install', 'ap');
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /there is no part named "ap"/);
      assert.match(bad.stderr, /did you mean "app"\?/);
    },
  ));

test('recipes from an npm package: default and named entries; a bad entry is a clear error', () =>
  withDeployment(
    `[buildout]
parts = p
[p]
recipe = ${DEMO}:nosuch
`,
    (d) => {
      const r = d.run();
      assert.equal(r.status, 2);
      assert.match(
        r.stderr,
        /RECIPE_INVALID.*it has no recipe named "nosuch" \(it has: default, files, fail, slow, fetch, software, program, prepared, runtime\)/s,
      );
      d.write('buildout.cfg', '[buildout]\nparts = p\n[p]\nrecipe = templat\n');
      const missing = d.run();
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /RECIPE_NOT_FOUND/);
      assert.match(missing.stderr, /did you mean "template"\?/);
      assert.match(missing.stderr, /buildout\.cfg:4:10/);
    },
  ));

test('a missing required option is located at the part', () =>
  withDeployment(
    `[buildout]
parts = p
[p]
recipe = ${DEMO}
`,
    (d) => {
      const r = d.run('plan');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /error\[BAD_OPTION\]: part \[p\] needs option "content"/);
      assert.match(r.stderr, /while: checking the options of part \[p\]/);
    },
  ));

test('--debug adds the stack of what a recipe threw; without it there is none', () =>
  withDeployment(
    `[buildout]
parts = bad
[bad]
recipe = ${DEMO}:fail
`,
    (d) => {
      const plain = d.run();
      assert.equal(plain.status, 2);
      assert.doesNotMatch(plain.stderr, /zetaserver-recipe-demo\/index\.js:\d+/);
      const debug = d.run('--debug');
      assert.equal(debug.status, 2);
      assert.match(debug.stderr, /error\[RECIPE_FAILED\]/);
      assert.match(
        debug.stderr,
        /Error: demo failure\n\s+at Object\.install \(.*zetaserver-recipe-demo\/index\.js:\d+/,
      );
    },
  ));

test(
  'annotate and query resolve the options recipes derive; an unknown recipe or a broken part does not ' + 'stop them',
  () =>
    withDeployment(
      `[buildout]
parts = base app python broken
[base]
recipe = ${DEMO}
content = base
[app]
recipe = ${DEMO}
content = uses \${base:location}/out.txt
[python]
recipe = plone.recipe.zope2instance.nosuch
http-address = 8080
[broken]
recipe = ${DEMO}
`,
      (d) => {
        const query = d.run('query', 'app:content');
        assert.equal(query.status, 0, query.stderr);
        assert.equal(query.stdout, `uses ${d.path('parts/base')}/out.txt\n`);
        const json = d.run('annotate', '--json');
        assert.equal(json.status, 0, json.stderr);
        const sections = JSON.parse(json.stdout).sections;
        assert.equal(
          sections.base.location,
          d.path('parts/base'),
          'a derived option is part of the resolved configuration',
        );
        assert.equal(sections.python['http-address'], '8080');
        const verbose = d.run('-v', 'annotate', 'broken');
        assert.equal(verbose.status, 0, verbose.stderr);
        assert.match(verbose.stderr, /part \[broken\] needs option "content"/);
        assert.equal(d.run('plan').status, 2, 'plan, unlike annotate, refuses the broken part');
      },
    ),
);
