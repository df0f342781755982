/**
 * The cmmi recipe through the CLI, building a tiny C program served by a local HTTP server:
 * configure/make/make install, the location other parts reference, the version reported to
 * [versions], every build option, the download cache across deployments and offline, and what a
 * re-run does (nothing) or a changed option does (rebuild).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { Deployment } from '../helpers/deployment';
import { assembleAsync } from '../helpers/run';
import { ASSEMBLE, tempDir } from '../helpers/paths';
import { archiveOf } from '../helpers/tar-writer';
import { serveArchives } from '../helpers/archive-server';
import { greetingPatch, helloProject, toolProject } from '../helpers/source-project';

const HELLO = archiveOf(helloProject());
const TOOL = archiveOf(toolProject(), 'xz');
const NESTED = archiveOf([{ path: 'bundle-1.0/', type: 'dir' }, ...helloProject('bundle-1.0/source')], 'bzip2');

function run(binary: string): string {
  return execFileSync(binary, { encoding: 'utf8' }).trim();
}

function records(d: Deployment): string[] {
  return d.exists('record.txt') ? d.read('record.txt').trim().split('\n') : [];
}

test(
  'configure, make, make install: the location other parts use, the picked version, no rebuild on a re-run, ' +
    'the download cache and offline',
  async () => {
    const server = await serveArchives({ '/dist/hello-1.0.tar.gz': HELLO });
    const cache = tempDir();
    const config = (extra = '') => `[buildout]
parts = hello-build hello-path
download-cache = ${cache.dir}
show-picked-versions = true
[hello-build]
recipe = hexagonit.recipe.cmmi
url = ${server.at('/dist/hello-1.0.tar.gz')}
sha256 = ${server.sha('/dist/hello-1.0.tar.gz')}
configure-options = --with-greeting="good day"
environment = BUILD_RECORD=\${buildout:directory}/record.txt
${extra}
[hello-path]
recipe = template
inline = \${hello-build:location}/bin/hello
output = \${buildout:directory}/etc/hello-path
`;
    const one = new Deployment(config());
    const two = new Deployment(config());
    const three = new Deployment(config().replace(cache.dir, path.join(cache.dir, 'empty')));
    try {
      const first = await one.runAsync();
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stderr, /hello-build: built hello 1\.0 in [\d.]+ s/);
      assert.match(
        first.stderr,
        /picked versions[^]*\nhello = 1\.0/,
        'the version read from the archive name is reported',
      );
      const binary = one.read('etc/hello-path').trim();
      assert.equal(binary, one.path('parts/hello-build/bin/hello'));
      assert.equal(run(binary), 'good day');
      assert.deepEqual(
        records(one),
        [`configure --prefix=${one.path('parts/hello-build')} --with-greeting=good day`],
        'configure got the prefix and the option as one word',
      );
      assert.deepEqual(
        one.state().parts['hello-build'].paths,
        [one.path('parts/hello-build')],
        'only the location is recorded',
      );
      assert.ok(!one.exists('parts/hello-build__compile__'), 'the compile directory is removed after a good build');
      const built = statSync(binary).mtimeMs;

      const again = await one.runAsync();
      assert.equal(again.status, 0, again.stderr);
      assert.doesNotMatch(again.stderr, /built hello/);
      assert.equal(records(one).length, 1, 'an unchanged build is not rebuilt');
      assert.equal(statSync(binary).mtimeMs, built);

      const offline = await two.runAsync('-o');
      assert.equal(offline.status, 0, offline.stderr);
      assert.equal(
        server.hits.get('/dist/hello-1.0.tar.gz'),
        1,
        'the second deployment used the download cache, offline',
      );
      assert.equal(run(two.path('parts/hello-build/bin/hello')), 'good day');

      const miss = await three.runAsync('-o');
      assert.equal(miss.status, 2);
      assert.match(
        miss.stderr,
        /error\[OFFLINE_MISS\]: offline mode: http:\/\/127\.0\.0\.1:\d+\/dist\/hello-1\.0\.tar\.gz is not in the download cache/,
      );
      assert.match(miss.stderr, /expected at: .*\/empty\/cmmi\/[0-9a-f]{64}-hello-1\.0\.tar\.gz/);
      assert.match(
        miss.stderr,
        /--> .*buildout\.cfg:7:7 {2}\[hello-build\] url\n[^]*7 \| url = /,
        'the error points at the url',
      );

      one.write('buildout.cfg', config('make-options = CFLAGS=-DSHOUT'));
      const plan = await one.runAsync('plan');
      assert.match(plan.stdout, /reinstall\s+hello-build[^]*because option make-options was added: "CFLAGS=-DSHOUT"/);
      const changed = await one.runAsync();
      assert.equal(changed.status, 0, changed.stderr);
      assert.equal(run(binary), 'good day!!', 'a changed option rebuilds');
      assert.equal(records(one).length, 2);
    } finally {
      await server.close();
      for (const d of [one, two, three]) d.cleanup();
      cache.cleanup();
    }
  },
);

test(
  'a Makefile-only build (haproxy style): configure-command = none, make-options for both makes, ' +
    'make-targets with PREFIX, jobs',
  async () => {
    const server = await serveArchives({ '/tool-2.0.tar.xz': TOOL });
    const d = new Deployment(`[buildout]
parts = tool-build
[tool-build]
recipe = zc.recipe.cmmi
url = ${server.at('/tool-2.0.tar.xz')}
sha256 = ${server.sha('/tool-2.0.tar.xz')}
configure-command = none
make-options = TARGET=linux-test
make-targets = install PREFIX=\${buildout:parts-directory}/tool-build
jobs = 2
`);
    try {
      const r = await d.runAsync('-v');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(run(d.path('parts/tool-build/bin/hello')), 'built for linux-test');
      // the steps that took 0.05 s or more, by name: a quick make may be left out of the list
      assert.match(
        r.stderr,
        /built tool 2\.0 in [\d.]+ s \((?:(?:download|extract|make|make install) [\d.]+ s(?:, |\)))+\n/,
      );
    } finally {
      await server.close();
      d.cleanup();
    }
  },
);

test(
  'patches with patch-options, environment from lines, a section and %(VAR)s, hooks, keep-compile-dir, a ' +
    'prefix elsewhere, a nested source directory',
  async () => {
    const server = await serveArchives({ '/hello-1.0.tar.gz': HELLO, '/files/download': NESTED });
    const d = new Deployment(`[buildout]
parts = patched nested
[build-env]
CFLAGS = -DSHOUT
BUILD_RECORD = \${buildout:directory}/record.txt
[patched]
recipe = cmmi
url = ${server.at('/hello-1.0.tar.gz')}
md5sum = ${require('node:crypto').createHash('md5').update(HELLO).digest('hex')}
patches = fix.patch
patch-options = -p1
environment-section = build-env
environment =
    MARKER=%(ZETA_TEST_MARKER)s and 100%%
pre-configure-hook =
    sh -c 'echo "pre $MARKER" > pre-configure.txt'
post-make-hook = sh -c 'echo "post $ZETA_PART" > "$ZETA_LOCATION/post-make.txt"'
keep-compile-dir = true
[nested]
recipe = cmmi
url = ${server.at('/files/download')}
sha256 = ${server.sha('/files/download')}
prefix = \${buildout:directory}/opt/hello
`);
    d.write('fix.patch', greetingPatch(1));
    try {
      const r = await assembleAsync([], { cwd: d.dir, env: { ZETA_TEST_MARKER: 'from outside' } });
      assert.equal(r.status, 0, r.stderr);
      assert.equal(
        run(d.path('parts/patched/bin/hello')),
        'hello, patched!!',
        'the patch and CFLAGS from the section both applied',
      );
      const source = d.path('parts/patched__compile__/hello-1.0');
      assert.equal(
        readFileSync(path.join(source, 'pre-configure.txt'), 'utf8'),
        'pre from outside and 100%\n',
        "the hook ran in the source directory with the part's environment",
      );
      assert.equal(d.read('parts/patched/post-make.txt'), 'post patched\n');
      assert.ok(
        existsSync(path.join(source, 'zetaserver-build.log')) ||
          existsSync(d.path('parts/patched__compile__/zetaserver-build.log')),
      );
      assert.ok(
        d.state().parts.patched.paths.includes(d.path('parts/patched__compile__')),
        'a kept compile directory is recorded (removed on uninstall)',
      );
      assert.equal(records(d).length, 1);
      assert.equal(process.env.ZETA_TEST_MARKER, undefined);

      assert.equal(
        run(d.path('opt/hello/bin/hello')),
        'hello',
        'installed into the prefix; the source was found two levels down',
      );
      assert.ok(d.state().parts.nested.paths.includes(d.path('opt/hello')), 'a prefix the part created is recorded');

      d.write('fix.patch', greetingPatch(1).replace('hello, patched', 'hello, patched again'));
      const plan = await assembleAsync(['plan'], { cwd: d.dir, env: { ZETA_TEST_MARKER: 'from outside' } });
      assert.match(plan.stdout, /reinstall\s+patched[^]*because file .*fix\.patch changed/);
      d.write('buildout.cfg', d.read('buildout.cfg').replace('parts = patched nested', 'parts ='));
      const removed = await d.runAsync();
      assert.equal(removed.status, 0, removed.stderr);
      assert.ok(
        !d.exists('parts/patched') && !d.exists('parts/patched__compile__') && !d.exists('opt/hello'),
        'uninstall removes location, kept compile directory and prefix',
      );
    } finally {
      await server.close();
      d.cleanup();
    }
  },
);

test('on a terminal, a build shows its current step and the elapsed time', async () => {
  const server = await serveArchives({ '/hello-1.0.tar.gz': HELLO });
  const d = new Deployment(`[buildout]
parts = hello-build
[hello-build]
recipe = cmmi
url = ${server.at('/hello-1.0.tar.gz')}
sha256 = ${server.sha('/hello-1.0.tar.gz')}
pre-make-hook = sleep 1.2
`);
  try {
    // script(1) gives the CLI a pseudo-terminal; stty gives it a width
    const typescript = d.path('tty.out');
    const r = await new Promise<number | null>((resolve) => {
      const child = spawn('script', ['-qec', `stty cols 200; ${ASSEMBLE}`, typescript], {
        cwd: d.dir,
        stdio: 'ignore',
      });
      child.on('close', resolve);
    });
    assert.equal(r, 0, d.read('tty.out'));
    const screen = d.read('tty.out');
    // quick steps may be drawn over before the next redraw; a long one is shown as it runs
    const shown = [...screen.matchAll(/\r\x1b\[2Kinstalling hello-build: pre-make-hook {2}\(([\d.]+) s\)/g)].map((m) =>
      Number(m[1]),
    );
    assert.ok(
      shown.length >= 2 && shown[shown.length - 1] > shown[0],
      `the step and its elapsed time, redrawn while it runs: ${JSON.stringify(screen)}`,
    );
    // the summary names the steps that took 0.05 s or more: the hook always, make when it was slow enough
    assert.match(screen, /hello-build: built hello 1\.0 in [\d.]+ s \([^)]*pre-make-hook 1\.\d s/);
  } finally {
    await server.close();
    d.cleanup();
  }
});

test(
  "zc.recipe.cmmi's option names: extra_options, patch with the default -p0, shared = true under the " +
    'download cache',
  async () => {
    const server = await serveArchives({ '/hello-1.0.tar.gz': HELLO });
    const cache = tempDir();
    const d = new Deployment(`[buildout]
parts = hello
download-cache = ${cache.dir}
[hello]
recipe = zc.recipe.cmmi
url = ${server.at('/hello-1.0.tar.gz')}
sha256 = ${server.sha('/hello-1.0.tar.gz')}
extra_options = --with-greeting=zc
patch = fix.patch
shared = true
`);
    d.write('fix.patch', greetingPatch(0));
    try {
      const r = await d.runAsync();
      assert.equal(r.status, 0, r.stderr);
      assert.equal(
        run(d.path('parts/hello/bin/hello')),
        'zc',
        'extra_options reached configure (the -D overrides the patched default)',
      );
      assert.match(
        readlinkSync(d.path('parts/hello')),
        new RegExp(`^${cache.dir}/cmmi/build/hello-1\\.0-[0-9a-f]{16}$`),
      );
    } finally {
      await server.close();
      d.cleanup();
      cache.cleanup();
    }
  },
);
