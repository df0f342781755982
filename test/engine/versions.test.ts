/**
 * [versions] pins: recipe packages and picked software are checked with semver; unpinned picks
 * are errors with allow-picked-versions = false (naming the exact line to add), printed with
 * show-picked-versions, appended by update-versions-file.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { withDeployment } from '../helpers/deployment';

const DEMO = 'zetaserver-recipe-demo';
const BASE = `[buildout]
parts = p web
extends = versions.cfg
[p]
recipe = ${DEMO}
content = x
[web]
recipe = ${DEMO}:software
software = nginx
version = 1.22.1
`;

test('a pin that the installed recipe package does not satisfy is an error at the pin', () =>
  withDeployment(BASE, (d) => {
    d.write('versions.cfg', '[versions]\nnginx = ~1.22\nzetaserver-recipe-demo = >=2.0\n');
    const r = d.run('plan');
    assert.equal(r.status, 2);
    assert.match(
      r.stderr,
      /error\[VERSION_CONFLICT\]: zetaserver-recipe-demo 1\.2\.0 does not satisfy the pin "zetaserver-recipe-demo = >=2\.0"/,
    );
    assert.match(r.stderr, /versions\.cfg:3:26/);
  }));

test('picked software is checked against its pin', () =>
  withDeployment(BASE, (d) => {
    d.write('versions.cfg', '[versions]\nnginx = 1.20.2\nzetaserver-recipe-demo = ^1.2\n');
    const r = d.run('plan');
    assert.equal(r.status, 2);
    assert.match(r.stderr, /nginx 1\.22\.1 does not satisfy the pin "nginx = 1\.20\.2"/);
    d.write('versions.cfg', '[versions]\nnginx = ~1.22\nzetaserver-recipe-demo = ^1.2\n');
    assert.equal(d.run('plan').status, 0);
  }));

test('allow-picked-versions = false prints the exact lines to add', () =>
  withDeployment(
    BASE.replace('extends = versions.cfg', 'extends = versions.cfg\nallow-picked-versions = false'),
    (d) => {
      d.write('versions.cfg', '[versions]\n');
      const r = d.run('plan');
      assert.equal(r.status, 2);
      assert.match(r.stderr, /error\[UNPINNED\]: allow-picked-versions is false, and these versions are not pinned/);
      assert.match(r.stderr, /add to \[versions\]:\n\s+zetaserver-recipe-demo = 1\.2\.0\n\s+nginx = 1\.22\.1/);
    },
  ));

test('show-picked-versions prints the block; update-versions-file appends it', () =>
  withDeployment(
    BASE.replace(
      'extends = versions.cfg',
      'extends = versions.cfg\nshow-picked-versions = true\nupdate-versions-file = versions.cfg',
    ),
    (d) => {
      d.write('versions.cfg', '[versions]\nnginx = 1.22.1\n');
      const r = d.run();
      assert.equal(r.status, 0, r.stderr);
      assert.match(
        r.stderr,
        /picked versions \(add them to your versions file\):\n\[versions\]\nzetaserver-recipe-demo = 1\.2\.0\n/,
      );
      assert.match(
        d.read('versions.cfg'),
        /^\[versions\]\nnginx = 1\.22\.1\n\n# Added by Zetaserver at [^\n]+\nzetaserver-recipe-demo = 1\.2\.0\n$/,
      );
      const again = d.run();
      assert.equal(again.status, 0);
      assert.doesNotMatch(again.stderr, /picked versions/, 'once pinned, nothing is picked');
    },
  ));
