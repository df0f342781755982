/**
 * The cmmi recipe's failures through the CLI: a checksum mismatch, a 404, hostile archives, a
 * failing configure and make (command, exit status, directory, last lines, the compile directory
 * kept and named), and every bad option value as an error located at the option, with a hint.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { Deployment } from '../helpers/deployment';
import { archiveOf, type TarEntry } from '../helpers/tar-writer';
import { withArchiveServer, type ArchiveServer } from '../helpers/archive-server';
import { helloProject, sha256, toolProject } from '../helpers/source-project';

const HELLO = archiveOf(helloProject());
const evil = (entry: TarEntry): Buffer => archiveOf(helloProject('hello-1.0', [entry]));
const ARCHIVES = {
  '/hello-1.0.tar.gz': HELLO,
  '/traversal-1.0.tar.gz': archiveOf([
    ...helloProject(),
    { path: 'hello-1.0/../../../zeta-evil.txt', content: 'owned\n' },
  ]),
  '/absolute-1.0.tar.gz': archiveOf([...helloProject(), { path: '/tmp/zeta-cmmi-absolute.txt', content: 'owned\n' }]),
  '/symlink-1.0.tar.gz': evil({ path: 'escape', type: 'symlink', linkpath: '../../../../etc' }),
  '/tool-2.0.tar.gz': archiveOf(toolProject()),
};

function config(
  server: ArchiveServer,
  route: keyof typeof ARCHIVES | '/missing-1.0.tar.gz',
  extra = '',
  sha?: string,
): string {
  const checksum = sha ?? (route in ARCHIVES ? server.sha(route) : sha256('x'));
  return (
    `[buildout]\nparts = hello-build\n[hello-build]\nrecipe = cmmi\nurl = ${server.at(route)}\nsha256 = ` +
    `${checksum}\n${extra}`
  );
}

function withServer(body: (server: ArchiveServer, d: Deployment) => Promise<void>): Promise<void> {
  return withArchiveServer(ARCHIVES, body);
}

test('a checksum mismatch is an error at the pin, a 404 at the url; nothing is left in the tree', () =>
  withServer(async (server, d) => {
    d.write('buildout.cfg', config(server, '/hello-1.0.tar.gz', '', sha256('another archive')));
    const mismatch = await d.runAsync();
    assert.equal(mismatch.status, 2);
    assert.match(
      mismatch.stderr,
      /error\[CHECKSUM_MISMATCH\]: the download of http:\/\/127\.0\.0\.1:\d+\/hello-1\.0\.tar\.gz does not match its sha256 checksum/,
    );
    assert.match(mismatch.stderr, new RegExp(`received: ${server.sha('/hello-1.0.tar.gz')}`));
    assert.match(mismatch.stderr, /buildout\.cfg:6:10 {2}\[hello-build\] sha256\n/, 'a mismatch points at the pin');
    d.write('buildout.cfg', config(server, '/missing-1.0.tar.gz'));
    const missing = await d.runAsync();
    assert.equal(missing.status, 2);
    assert.match(
      missing.stderr,
      /error\[DOWNLOAD_FAILED\]: cannot download http:\/\/127\.0\.0\.1:\d+\/missing-1\.0\.tar\.gz: HTTP 404/,
    );
    assert.match(missing.stderr, /hint: check the URL and the version in it/);
    assert.ok(!d.exists('parts/hello-build') && !d.exists('parts/hello-build__compile__'));
  }));

for (const [route, entry] of [
  ['/traversal-1.0.tar.gz', /"hello-1\.0\/\.\.\/\.\.\/\.\.\/zeta-evil\.txt" climbs out of the target with "\.\."/],
  ['/absolute-1.0.tar.gz', /"\/tmp\/zeta-cmmi-absolute\.txt" is an absolute path/],
  [
    '/symlink-1.0.tar.gz',
    /"hello-1\.0\/escape" is a symlink pointing outside the target \(-> \.\.\/\.\.\/\.\.\/\.\.\/etc\)/,
  ],
] as const) {
  test(
    `an archive with an unsafe entry (${route}) is refused naming the entry; nothing is built or ` + `written outside`,
    () =>
      withServer(async (server, d) => {
        d.write('buildout.cfg', config(server, route));
        const r = await d.runAsync();
        assert.equal(r.status, 2);
        assert.match(r.stderr, /error\[BAD_OPTION\]: archive [\w.-]+ has an unsafe entry, so it was refused: /);
        assert.match(r.stderr, entry);
        assert.match(r.stderr, /\[hello-build\] url/);
        assert.match(r.stderr, /hint: the archive is damaged or hostile/);
        assert.ok(!d.exists('parts/hello-build') && !d.exists('parts/hello-build__compile__'), 'nothing of it is kept');
        assert.ok(
          !existsSync(path.join(path.dirname(d.dir), 'zeta-evil.txt')) && !existsSync('/tmp/zeta-cmmi-absolute.txt'),
        );
      }),
  );
}

test(
  'a failing make reports command, exit status, directory and last lines, keeps the compile directory, and ' +
    'the next run starts clean',
  () =>
    withServer(async (server, d) => {
      d.write('buildout.cfg', config(server, '/hello-1.0.tar.gz', 'make-options = CFLAGS=-DBREAK\njobs = 1\n'));
      const r = await d.runAsync();
      assert.equal(r.status, 2);
      const compile = d.path('parts/hello-build__compile__');
      assert.match(r.stderr, /error\[EXEC_FAILED\]: make: make exited with status 2/);
      assert.match(r.stderr, /command: {3}make -j1 CFLAGS=-DBREAK\n/);
      assert.match(r.stderr, new RegExp(`directory: ${compile}/hello-1\\.0\\n`));
      assert.match(r.stderr, new RegExp(`full log: {2}${compile}/zetaserver-build\\.log`));
      assert.match(r.stderr, /last lines of its output:\n[^]*\| .*#error "broken on purpose"/);
      assert.match(r.stderr, new RegExp(`compile directory kept for inspection: ${compile} `));
      assert.match(r.stderr, /while: installing part \[hello-build\] \(recipe cmmi\)/);
      assert.ok(existsSync(path.join(compile, 'hello-1.0', 'Makefile')), 'the configured tree is there to inspect');
      assert.ok(!d.exists('parts/hello-build'), 'the half-installed location is rolled back');
      assert.ok(!d.exists('.installed.json') || !d.state().parts['hello-build']);

      d.write('buildout.cfg', config(server, '/hello-1.0.tar.gz'));
      const fixed = await d.runAsync();
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.ok(!existsSync(compile), 'the old compile directory is replaced, then removed after the good build');
    }),
);

test('a failing configure, a make without TARGET, and a missing configure script are reported clearly', () =>
  withServer(async (server, d) => {
    d.write('buildout.cfg', config(server, '/hello-1.0.tar.gz', 'configure-options = --enable-failure\n'));
    const configure = await d.runAsync();
    assert.equal(configure.status, 2);
    assert.match(configure.stderr, /error\[EXEC_FAILED\]: configure: \.\/configure exited with status 1/);
    assert.match(configure.stderr, /\| configure: error: asked to fail/);
    d.write('buildout.cfg', config(server, '/tool-2.0.tar.gz', 'configure-command = none\n'));
    const target = await d.runAsync();
    assert.equal(target.status, 2);
    assert.match(target.stderr, /\| Building without specifying a TARGET is not supported\./);
    d.write('buildout.cfg', config(server, '/tool-2.0.tar.gz'));
    const noConfigure = await d.runAsync();
    assert.equal(noConfigure.status, 2);
    assert.match(noConfigure.stderr, /error\[BAD_OPTION\]: no configure in the unpacked archive/);
    assert.match(noConfigure.stderr, /hint: for a build without a configure script set configure-command = none/);
  }));

test('bad option values are errors located at the option, with a hint; a likely typo is a warning', () =>
  withServer(async (server, d) => {
    d.write('fix.patch', '--- a\n+++ b\n');
    const cases: Array<[string, RegExp, string]> = [
      [
        'configure-options = --prefix=/x && make',
        /"&&" is a shell operator, and commands here run without a shell/,
        'configure-options',
      ],
      ['make-options = CFLAGS="-O2', /unterminated " quote/, 'make-options'],
      ['environment = CFLAGS -O2', /environment line "CFLAGS -O2" is not KEY=VALUE/, 'environment'],
      [
        'environment = no-such-section',
        /environment names the section \[no-such-section\], which is not defined/,
        'environment',
      ],
      [
        'environment = X=%(ZETA_SURELY_UNSET_VAR)s',
        /%\(ZETA_SURELY_UNSET_VAR\)s refers to the environment variable ZETA_SURELY_UNSET_VAR, which is not set/,
        'environment',
      ],
      [
        'pre-make-hook = hooks.py:run',
        /is a Python hook \(hexagonit's file\.py:function\), which cannot run here/,
        'pre-make-hook',
      ],
      ['patches = missing.patch', /patch file .*missing\.patch does not exist/, 'patches'],
      [
        'patches = http://example.org/fix.patch',
        /patches are local files; http:\/\/example\.org\/fix\.patch is a URL/,
        'patches',
      ],
      ['jobs = 0', /option "jobs" of \[hello-build\] must be a whole number from 1 to 512, not "0"/, 'jobs'],
      ['md5sum = 0123456789abcdef0123456789abcdef', /\[hello-build\] has both sha256 and md5sum/, 'md5sum'],
      [
        'keep-compile-dir = maybe',
        /option "keep-compile-dir" of \[hello-build\] must be true or false/,
        'keep-compile-dir',
      ],
    ];
    for (const [line, message, option] of cases) {
      d.write('buildout.cfg', config(server, '/hello-1.0.tar.gz', `${line}\n`));
      const r = await d.runAsync('plan');
      assert.equal(r.status, 2, `${line}: ${r.stderr}`);
      assert.match(r.stderr, /^error\[BAD_OPTION\]: /, line);
      assert.match(r.stderr, message, line);
      assert.match(
        r.stderr,
        new RegExp(`--> .*buildout\\.cfg:7:\\d+ {2}\\[hello-build\\] ${option}\\n`),
        `${line}: located at ${option}`,
      );
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
    d.write(
      'buildout.cfg',
      `[buildout]\nparts = hello-build\n[hello-build]\nrecipe = cmmi\nurl = ${server.at('/hello-1.0.tar.gz')}\n`,
    );
    const unverified = await d.runAsync('plan');
    assert.equal(unverified.status, 2);
    assert.match(
      unverified.stderr,
      /downloads http:\/\/127\.0\.0\.1:\d+\/hello-1\.0\.tar\.gz without a checksum[^]*--> .*buildout\.cfg:5:7 {2}\[hello-build\] url[^]*hint: add "sha256 = <64 hex digits>"/,
    );
    d.write('buildout.cfg', config(server, '/hello-1.0.tar.gz', 'configure-option = --with-greeting=hi\n'));
    const typo = await d.runAsync('plan');
    assert.equal(typo.status, 0, typo.stderr);
    assert.match(
      typo.stderr,
      /warning\[UNKNOWN_OPTION\]: \[hello-build\] has option "configure-option", which recipe cmmi does not know and nothing refers to\n[^]*hint: did you mean "configure-options"\?/,
    );
    assert.deepEqual(
      readdirSync(d.dir).filter((f) => f === 'parts'),
      [],
      'plan touched nothing',
    );
  }));
