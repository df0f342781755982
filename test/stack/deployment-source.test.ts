/**
 * deployment-source.cfg without building anything (the real builds and the running stack are in
 * test/slow/source-builds.test.ts): on a machine where nothing has been downloaded yet, `plan`
 * works and touches no network; offline (-o) without the tarballs in the download cache, each
 * build part fails with an error naming its upstream URL and the cache file it looked for, before
 * anything is built; and the build parts are defined once, by buildout.d/source-builds.cfg.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { exampleDeployment, type ExampleDeployment } from '../helpers/example-deployment';
import { serve } from '../helpers/http-server';
import { ASSEMBLE } from '../helpers/paths';
import { cacheKey } from '../../src/download/download-service';

const BUILDS = ['memcached-build', 'haproxy-build', 'nginx-build'];
const UPSTREAM = {
  memcached: 'https://memcached.org/files/memcached-1.6.18.tar.gz',
  haproxy: 'https://www.haproxy.org/download/2.6/src/haproxy-2.6.12.tar.gz',
  nginx: 'https://nginx.org/download/nginx-1.22.1.tar.gz',
};

let stack: ExampleDeployment;

before(async () => {
  stack = await exampleDeployment('zeta-source-cfg-', 'deployment-source.cfg');
});
after(() => stack?.cleanup());

/** What is in the deployment directory besides the copied example (nothing, after a plan). */
function madeInTree(): string[] {
  const copied = new Set(['deployment.cfg', 'deployment-source.cfg', 'versions.cfg', 'buildout.d', 'app']);
  return readdirSync(stack.dir).filter((entry) => !copied.has(entry));
}

test(
  'plan on a machine where nothing has been downloaded: the three builds before their services, nothing ' +
    'written, no network touched',
  async (t) => {
    const plan = await stack.assemble('plan');
    assert.equal(plan.status, 0, plan.stderr);
    assert.equal(plan.stderr, '', 'no warnings');
    for (const name of ['memcached', 'haproxy', 'nginx']) {
      assert.match(
        plan.stdout,
        new RegExp(`install\\s+${name}-build\\s+cmmi[^]*install\\s+${name}\\s+${name}\\b`),
        `${name}-build, then ${name}`,
      );
    }
    assert.match(plan.stdout, /install\s+varnish\s+varnish/);
    assert.match(plan.stdout, /install\s+mysql\s+mysql/);
    assert.deepEqual(madeInTree(), [], 'plan made nothing (no download cache, no parts)');

    // the same plan with the three URLs on a local server that counts requests: none arrives
    const server = await serve({});
    try {
      const local = Object.entries(UPSTREAM).map(
        ([name, url]) => `downloads:${name}=${server.url}/${path.basename(url)}`,
      );
      const counted = await stack.assemble(...local, 'plan');
      assert.equal(counted.status, 0, counted.stderr);
      assert.deepEqual([...server.hits.keys()], [], 'plan requested nothing');
      // control: installing one build with the same overrides does reach the server (404 there)
      const control = await stack.assemble(...local, 'install', 'haproxy-build');
      assert.equal(control.status, 2);
      assert.match(
        control.stderr,
        /error\[DOWNLOAD_FAILED\]: cannot download http:\/\/127\.0\.0\.1:\d+\/haproxy-2\.6\.12\.tar\.gz: HTTP 404/,
      );
      assert.deepEqual([...server.hits.entries()], [['/haproxy-2.6.12.tar.gz', 1]]);
    } finally {
      await server.close();
    }

    // with the real upstream URLs in a network namespace that has no network at all
    if (process.getuid?.() !== 0) {
      t.diagnostic('not root: the plan in an empty network namespace (unshare --net) was not run');
      return;
    }
    for (const args of [['plan'], ['-o', 'plan']]) {
      const isolated = spawnSync(
        'unshare',
        ['--net', '--', ASSEMBLE, '-c', stack.config, ...stack.overrides, ...args],
        {
          cwd: stack.dir,
          encoding: 'utf8',
          timeout: 60_000,
        },
      );
      assert.equal(isolated.status, 0, `${args.join(' ')} without a network: ${isolated.stderr}`);
      assert.match(isolated.stdout, /install\s+nginx-build\s+cmmi/);
    }
  },
);

test(
  'offline without the tarballs in the cache: each build fails naming its upstream URL and the cache file ' +
    'expected, and nothing is built',
  async () => {
    const cache = path.join(stack.dir, 'var', 'cache', 'downloads');
    for (const [name, url] of Object.entries(UPSTREAM)) {
      const result = await stack.assemble('-o', 'install', `${name}-build`);
      assert.equal(result.status, 2, result.stderr);
      assert.ok(
        result.stderr.startsWith(`error[OFFLINE_MISS]: offline mode: ${url} is not in the download cache\n`),
        result.stderr,
      );
      assert.match(
        result.stderr,
        new RegExp(`--> buildout\\.d/source-builds\\.cfg:\\d+:\\d+\\s+\\[${name}-build\\]`),
        "located at the build part's url",
      );
      // the slot scripts/seed-download-cache.js fills (it uses the same cacheKey)
      assert.ok(result.stderr.includes(`expected at: ${path.join(cache, 'cmmi', cacheKey(url))}\n`), result.stderr);
      assert.match(result.stderr, /hint: run once without -o/);
      assert.doesNotMatch(result.stderr, /configure|make/, 'no build step ran');
    }
    for (const build of BUILDS) {
      assert.equal(existsSync(path.join(stack.dir, 'parts', build)), false, `no ${build} location`);
      assert.equal(
        existsSync(path.join(stack.dir, 'parts', `${build}__compile__`)),
        false,
        `no ${build} compile directory`,
      );
    }

    // the whole deployment offline: every missing tarball in one run, before anything is made
    const whole = await stack.assemble('-o');
    assert.equal(whole.status, 2);
    for (const [name, url] of Object.entries(UPSTREAM)) {
      assert.ok(
        whole.stderr.includes(`error[OFFLINE_MISS]: offline mode: ${url} is not in the download cache\n`),
        whole.stderr,
      );
      assert.match(
        whole.stderr,
        new RegExp(`--> buildout\\.d/source-builds\\.cfg:\\d+:\\d+\\s+\\[${name}-build\\] url`),
      );
    }
    assert.match(whole.stderr, new RegExp(`\\n${Object.keys(UPSTREAM).length} errors\\n`));
    assert.doesNotMatch(whole.stdout, /install/, 'no part was installed');
    assert.equal(existsSync(path.join(stack.dir, '.installed.json')), false, 'nothing recorded');
    // plan -o says the same as warnings, and exits 0
    const plan = await stack.assemble('-o', 'plan');
    assert.equal(plan.status, 0, plan.stderr);
    for (const url of Object.values(UPSTREAM))
      assert.ok(
        plan.stderr.includes(`warning[OFFLINE_MISS]: offline mode: ${url} is not in the download cache\n`),
        plan.stderr,
      );
  },
);

test(
  'the build parts are defined once, by buildout.d/source-builds.cfg, with the verified URLs and ' + 'sha256 pins',
  () => {
    const run = (...args: string[]) =>
      spawnSync(ASSEMBLE, ['-c', stack.config, ...args], { cwd: stack.dir, encoding: 'utf8', timeout: 60_000 });
    const annotate = run('annotate', ...BUILDS, 'downloads', 'checksums');
    assert.equal(annotate.status, 0, annotate.stderr);
    const origins = [...annotate.stdout.matchAll(/^\s+(?:set|\+=|-=)\s+(\S+):\d+/gm)].map((m) => m[1]);
    assert.ok(origins.length >= 15, annotate.stdout);
    assert.deepEqual(
      [...new Set(origins)],
      ['buildout.d/source-builds.cfg'],
      'every value comes from source-builds.cfg',
    );
    for (const [name, url] of Object.entries(UPSTREAM))
      assert.equal(run('query', `${name}-build:url`).stdout.trim(), url);
    assert.equal(
      run('query', 'nginx-build:sha256').stdout.trim(),
      '9ebb333a9e82b952acd3e2b4aeb1d4ff6406f72491bab6cd9fe69f0dea737f31',
    );
    assert.equal(
      run('query', 'haproxy-build:sha256').stdout.trim(),
      '58f9edb26bf3288f4b502658399281cc5d6478468bd178eafe579c8f41895854',
    );
    assert.equal(
      run('query', 'buildout:download-cache').stdout.trim(),
      path.join(stack.dir, 'var', 'cache', 'downloads'),
    );
    assert.equal(
      run('query', 'buildout:shared-builds').status,
      2,
      'shared builds are off unless the operator turns them on',
    );
  },
);
