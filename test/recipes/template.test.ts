/**
 * The template recipe (collective.recipe.template) against issue 4: input files and inline text,
 * mode, `${section:option}` substituted as buildout's template recipe does, mustache with the
 * part's options, missing variables as errors at the template's file and line, template edits
 * reinstalling, and secrets written 0600.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, statSync } from 'node:fs';
import { withDeployment, type Deployment } from '../helpers/deployment';

const mode = (d: Deployment, file: string): number => statSync(d.path(file)).mode & 0o777;

test('input and inline templates: ${section:option}, ${option} of the part, mustache from the options, mode', () =>
  withDeployment(
    `[buildout]
parts = from-file inline script
[hosts]
web = 127.0.0.1
[ports]
web = 8080
[from-file]
recipe = collective.recipe.template
input = templates/app.conf.in
output = \${buildout:directory}/etc/app.conf
workers = 4
[inline]
recipe = template
inline =
    upstream \${hosts:web}:\${ports:web};
    # from {{output}}
output = etc/inline.conf
mode = 0640
[script]
recipe = template
input = templates/run.sh.in
output = bin/run
`,
    (d) => {
      d.write(
        'templates/app.conf.in',
        'listen ${hosts:web}:${ports:web}\nworkers ${workers}\nprocesses {{workers}}\n{{#workers}}has ' +
          'workers{{/workers}}\n',
      );
      d.write('templates/run.sh.in', '#!/bin/sh\necho run\n');
      chmodSync(d.path('templates/run.sh.in'), 0o755);
      const r = d.run();
      assert.equal(r.status, 0, r.stderr);
      assert.equal(d.read('etc/app.conf'), 'listen 127.0.0.1:8080\nworkers 4\nprocesses 4\nhas workers\n');
      assert.equal(
        d.read('etc/inline.conf'),
        'upstream 127.0.0.1:8080;\n# from etc/inline.conf',
        "the part's options are the mustache view",
      );
      assert.equal(mode(d, 'etc/inline.conf'), 0o640, 'mode is applied');
      assert.equal(mode(d, 'etc/app.conf'), 0o644);
      assert.equal(mode(d, 'bin/run'), 0o755, "without mode, the input file's mode is copied");
      const changed = d.run('ports:web=9090');
      assert.equal(changed.status, 0, changed.stderr);
      assert.equal(
        d.read('etc/app.conf').split('\n')[0],
        'listen 127.0.0.1:9090',
        'a value the template uses changed: re-rendered',
      );
    },
  ));

test(
  "a missing variable is an error at the template file's line, never an empty string; inline ones point at " +
    'the option',
  () =>
    withDeployment(
      `[buildout]
parts = conf
[hosts]
web = localhost
[conf]
recipe = template
input = app.conf.in
output = etc/app.conf
`,
      (d) => {
        d.write('app.conf.in', 'host ${hosts:web}\nport {{port}}\n');
        const mustache = d.run();
        assert.equal(mustache.status, 2);
        assert.match(
          mustache.stderr,
          /error\[TEMPLATE_MISSING_VARIABLE\]: template variable "port" is not defined\n {2}--> app\.conf\.in:2:6 {2}\[conf\]\n[^]*2 \| port \{\{port\}\}\n\s+\| {6}\^{8}/,
        );
        assert.ok(!d.exists('etc/app.conf'), 'nothing rendered with a hole in it');
        d.write('app.conf.in', 'host ${hosts:web}\n\nuser ${hosts:user}\n');
        const reference = d.run();
        assert.equal(reference.status, 2);
        assert.match(
          reference.stderr,
          /error\[MISSING_OPTION\]: \$\{hosts:user\} refers to option "user" of \[hosts\], which does not exist\n {2}--> app\.conf\.in:3:6 {2}\[conf\] \(template\)\n[^]*3 \| user \$\{hosts:user\}\n\s+\| {6}\^{13}/,
        );
        d.write(
          'buildout.cfg',
          '[buildout]\nparts = conf\n[conf]\nrecipe = template\noutput = etc/x.conf\ninline =\n    a = {{missing}}\n',
        );
        const inline = d.run();
        assert.equal(inline.status, 2);
        assert.match(
          inline.stderr,
          /error\[TEMPLATE_MISSING_VARIABLE\]: template variable "missing" is not defined \(inline template\)\n {2}--> .*buildout\.cfg:6:1 {2}\[conf\] inline/,
        );
      },
    ),
);

test('editing the template file reinstalls the part; editing the output by hand is repaired by the next run', () =>
  withDeployment(
    `[buildout]
parts = conf
[conf]
recipe = template
input = conf.in
output = etc/app.conf
`,
    (d) => {
      d.write('conf.in', 'version 1\n');
      assert.equal(d.run().status, 0);
      d.write('conf.in', 'version 2\n');
      const plan = d.run('plan');
      assert.match(plan.stdout, /reinstall\s+conf\s+template\n\s+because file .*conf\.in changed/);
      assert.equal(d.run().status, 0);
      assert.equal(d.read('etc/app.conf'), 'version 2\n');
      d.write('etc/app.conf', 'edited by hand\n');
      assert.equal(d.run().status, 0);
      assert.equal(d.read('etc/app.conf'), 'version 2\n');
      // an edit of the same size, and a changed mode, are repaired too (the size is checked first)
      d.write('etc/app.conf', 'version 9\n');
      assert.equal(d.run().status, 0);
      assert.equal(d.read('etc/app.conf'), 'version 2\n');
      chmodSync(d.path('etc/app.conf'), 0o600);
      assert.equal(d.run().status, 0);
      assert.equal(statSync(d.path('etc/app.conf')).mode & 0o777, 0o644);
    },
  ));

test(
  'files holding secrets are written 0600: secret-options, [passwords] directly, and [passwords] through ' +
    'another section',
  () =>
    withDeployment(
      `[buildout]
parts = by-option direct indirect plain
[passwords]
db = s3cret-db-password
[db]
user = zope
password = \${passwords:db}
[by-option]
recipe = template
inline = token {{token}}
output = etc/token.conf
token = abc123
secret-options = token
mode = 0644
[direct]
recipe = template
inline = password \${passwords:db}
output = etc/direct.conf
[indirect]
recipe = template
input = db.conf.in
output = etc/indirect.conf
[plain]
recipe = template
inline = user \${db:user}
output = etc/plain.conf
`,
      (d) => {
        d.write('db.conf.in', 'user ${db:user}\npassword ${db:password}\n');
        const r = d.run();
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /warning\[RECIPE_WARNING\]: \[by-option\] writes secrets: mode 644 is narrowed to 0600/);
        assert.equal(mode(d, 'etc/token.conf'), 0o600);
        assert.equal(mode(d, 'etc/direct.conf'), 0o600);
        assert.equal(mode(d, 'etc/indirect.conf'), 0o600, 'a password reaching the template through [db] still counts');
        assert.equal(d.read('etc/indirect.conf'), 'user zope\npassword s3cret-db-password\n');
        assert.equal(mode(d, 'etc/plain.conf'), 0o644, 'a file without secrets keeps the usual mode');
        d.write('buildout.cfg', d.read('buildout.cfg').replace('secret-options = token', 'secret-options = nosuch'));
        const bad = d.run('plan');
        assert.equal(bad.status, 2);
        assert.match(bad.stderr, /secret-options names "nosuch", which \[by-option\] does not have/);
      },
    ),
);
