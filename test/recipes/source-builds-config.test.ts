/**
 * buildout.d/source-builds.cfg, without building (the real builds are test/slow/): a deployment
 * extending it plans the three builds with every version pinned, the software versions read
 * from the upstream archive names satisfy the pins, and a pin that does not match is an error.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { withDeployment } from '../helpers/deployment';
import { ROOT } from '../helpers/paths';

const SOURCE_BUILDS = path.join(ROOT, 'buildout.d', 'source-builds.cfg');

test('a deployment extending buildout.d/source-builds.cfg plans memcached, haproxy and nginx builds, all pinned', () =>
  withDeployment(
    `[buildout]
extends = ${SOURCE_BUILDS}
parts = \${buildout:source-build-parts}
allow-picked-versions = false
`,
    (d) => {
      const plan = d.run('plan');
      assert.equal(plan.status, 0, plan.stderr);
      assert.match(
        plan.stdout,
        /install\s+memcached-build\s+cmmi[^]*install\s+haproxy-build\s+cmmi[^]*install\s+nginx-build\s+cmmi/,
      );
      assert.equal(plan.stderr, '', 'no warnings');
      const annotate = d.run('annotate', 'haproxy-build');
      assert.match(annotate.stdout, /make-targets = install PREFIX=.*\/parts\/haproxy-build/);
      const conflict = d.run('versions:nginx=1.24', 'plan');
      assert.equal(conflict.status, 2);
      assert.match(
        conflict.stderr,
        /error\[VERSION_CONFLICT\]: nginx 1\.22\.1 does not satisfy the pin "nginx = 1\.24"/,
      );
    },
  ));
