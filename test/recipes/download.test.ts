/**
 * The download recipe through the CLI: extraction with and without strip-top-level-dir (the PCRE
 * source tree nginx wants), an archive behind a `.../download` URL recognised by content,
 * download-only with filename and mode, an existing destination (refused, or ignore-existing),
 * what uninstall removes, and the safety and checksum errors.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { statSync, readdirSync } from 'node:fs';
import { Deployment } from '../helpers/deployment';
import { tempDir } from '../helpers/paths';
import { archiveOf, type TarEntry } from '../helpers/tar-writer';
import { withArchiveServer, type ArchiveServer } from '../helpers/archive-server';
import { sha256 } from '../helpers/source-project';

const PCRE: TarEntry[] = [
  { path: 'pcre2-10.42/', type: 'dir' },
  { path: 'pcre2-10.42/README', content: 'PCRE2\n' },
  { path: 'pcre2-10.42/src/pcre2.h.generic', content: '/* header */\n' },
  { path: 'pcre2-10.42/pcre2-10.42/', type: 'dir' }, // a directory named like the top one
];
const ARCHIVES = {
  '/pcre2-10.42.tar.bz2': archiveOf(PCRE, 'bzip2'),
  '/sf/pcre/download': archiveOf(PCRE, 'xz'),
  '/flat.tar.gz': archiveOf([
    { path: 'a.txt', content: 'a\n' },
    { path: 'b.txt', content: 'b\n' },
  ]),
  '/evil-1.0.tar.gz': archiveOf([
    { path: 'evil-1.0/', type: 'dir' },
    { path: 'evil-1.0/up', type: 'symlink', linkpath: '../../../..' },
  ]),
  '/tool.sh': Buffer.from('#!/bin/sh\necho tool\n'),
};

function part(server: ArchiveServer, route: keyof typeof ARCHIVES, extra = '', name = 'pcre-source'): string {
  return (
    `[${name}]\nrecipe = hexagonit.recipe.download\nurl = ${server.at(route)}\nsha256 = ` +
    `${server.sha(route)}\n${extra}`
  );
}

function withServer(body: (server: ArchiveServer, d: Deployment) => Promise<void>): Promise<void> {
  return withArchiveServer(ARCHIVES, body);
}

test(
  'extracts into its location, keeping or stripping the top-level directory; a .../download URL is ' +
    'recognised by content',
  () =>
    withServer(async (server, d) => {
      d.write(
        'buildout.cfg',
        `[buildout]\nparts = pcre-source stripped sf\nshow-picked-versions = true\n${part(server, '/pcre2-10.42.tar.bz2')}
${part(server, '/pcre2-10.42.tar.bz2', 'strip-top-level-dir = true', 'stripped')}
${part(server, '/sf/pcre/download', 'strip-top-level-dir = true\nversion = 10.42', 'sf')}
[paths]
pcre = \${stripped:location}
`,
      );
      const r = await d.runAsync();
      assert.equal(r.status, 0, r.stderr);
      assert.equal(d.read('parts/pcre-source/pcre2-10.42/README'), 'PCRE2\n');
      assert.equal(d.read('parts/stripped/README'), 'PCRE2\n');
      assert.equal(d.read('parts/stripped/src/pcre2.h.generic'), '/* header */\n');
      assert.ok(
        statSync(d.path('parts/stripped/pcre2-10.42')).isDirectory(),
        'an inner directory named like the top one survives the strip',
      );
      assert.deepEqual(readdirSync(d.path('parts/stripped')).sort(), ['README', 'pcre2-10.42', 'src']);
      assert.equal(d.read('parts/sf/README'), 'PCRE2\n');
      assert.match(r.stderr, /pcre2 = 10\.42/, 'the version from the archive name is picked');
      assert.deepEqual(d.state().parts.stripped.paths, [d.path('parts/stripped')]);
      assert.deepEqual(
        readdirSync(d.path('parts')).sort(),
        ['pcre-source', 'sf', 'stripped'],
        'no staging directories left',
      );
      const again = await d.runAsync();
      assert.equal(again.status, 0);
      assert.equal(server.hits.get('/pcre2-10.42.tar.bz2'), 1, 'an unchanged part is not fetched again');
      d.write('buildout.cfg', '[buildout]\nparts =\n');
      assert.equal((await d.runAsync()).status, 0);
      assert.ok(!d.exists('parts/stripped') && !d.exists('parts/pcre-source'));
    }),
);

test('download-only places the file with filename and mode; an existing destination keeps what was there', () =>
  withServer(async (server, d) => {
    d.write('vendor/keep.txt', 'an operator file\n');
    d.write('vendor/a.txt', 'already here\n');
    const config = (
      extra: string,
    ) => `[buildout]\nparts = tool flat\n${part(server, '/tool.sh', 'download-only = true\nfilename = tool\nmode = 0755\ndestination = ${buildout:directory}/bin-tools', 'tool')}
${part(server, '/flat.tar.gz', `destination = \${buildout:directory}/vendor\n${extra}`, 'flat')}`;
    d.write('buildout.cfg', config(''));
    const refused = await d.runAsync();
    assert.equal(refused.status, 2);
    assert.match(refused.stderr, /error\[BAD_OPTION\]: .*vendor\/a\.txt exists already, and this part did not make it/);
    assert.match(refused.stderr, /hint: .*ignore-existing = true/);
    assert.ok(
      !d.exists('vendor/b.txt') && !d.exists('vendor/.zeta-extracting-flat'),
      'nothing was moved in; no staging left',
    );
    d.write('buildout.cfg', config('ignore-existing = true'));
    const r = await d.runAsync();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(d.read('bin-tools/tool'), '#!/bin/sh\necho tool\n');
    assert.equal(statSync(d.path('bin-tools/tool')).mode & 0o777, 0o755);
    assert.equal(d.read('vendor/a.txt'), 'already here\n', 'an existing file is left alone');
    assert.equal(d.read('vendor/b.txt'), 'b\n');
    assert.deepEqual(d.state().parts.flat.paths, [d.path('vendor/b.txt')], 'only what it moved in is recorded');
    d.write('buildout.cfg', '[buildout]\nparts =\n');
    assert.equal((await d.runAsync()).status, 0);
    assert.ok(!d.exists('vendor/b.txt') && !d.exists('bin-tools'));
    assert.equal(d.read('vendor/keep.txt'), 'an operator file\n');
    assert.equal(d.read('vendor/a.txt'), 'already here\n');
  }));

test('errors: an unsafe archive, a strip that cannot be done, a checksum mismatch, offline misses, bad options', () =>
  withServer(async (server, d) => {
    const cache = tempDir();
    try {
      const cases: Array<[string, RegExp, string]> = [
        [
          part(server, '/evil-1.0.tar.gz'),
          /archive evil-1\.0\.tar\.gz has an unsafe entry, so it was refused: "evil-1\.0\/up" is a symlink pointing outside the target/,
          'url',
        ],
        [
          part(server, '/flat.tar.gz', 'strip-top-level-dir = true'),
          /cannot strip the top-level directory of flat\.tar\.gz: it has 2 entries at its top \(a\.txt, b\.txt\)/,
          'strip-top-level-dir',
        ],
        [
          part(server, '/tool.sh', 'mode = 0755'),
          /mode applies to the downloaded file, so only with download-only = true/,
          'mode',
        ],
        [
          part(server, '/tool.sh', 'download-only = true\nfilename = ../x'),
          /filename must be a plain file name, not "\.\.\/x"/,
          'filename',
        ],
        [
          part(server, '/tool.sh', 'download-only = true\nmode = rwx'),
          /mode must be an octal file mode such as 0755, not "rwx"/,
          'mode',
        ],
        [
          part(server, '/tool.sh', 'download-only = true').replace(server.sha('/tool.sh'), sha256('other')),
          /error\[CHECKSUM_MISMATCH\]: the download of .*\/tool\.sh does not match its sha256 checksum/,
          '',
        ],
        [
          part(server, '/tool.sh', 'download-only = true').replace(/sha256 = .*\n/, ''),
          /downloads .*\/tool\.sh without a checksum/,
          'url',
        ],
      ];
      for (const [section, message, option] of cases) {
        d.write('buildout.cfg', `[buildout]\nparts = pcre-source\n${section}`);
        const r = await d.runAsync();
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, message);
        if (option) assert.match(r.stderr, new RegExp(`\\[pcre-source\\] ${option}\\n`), `located at ${option}`);
        assert.ok(!d.exists('parts/pcre-source'), `nothing left for: ${message}`);
      }
      d.write(
        'buildout.cfg',
        `[buildout]\nparts = pcre-source\ndownload-cache = ${cache.dir}\n${part(server, '/pcre2-10.42.tar.bz2')}`,
      );
      const offline = await d.runAsync('-o');
      assert.equal(offline.status, 2);
      assert.match(
        offline.stderr,
        /error\[OFFLINE_MISS\]: offline mode: .*\/pcre2-10\.42\.tar\.bz2 is not in the download cache/,
      );
      assert.match(offline.stderr, /expected at: .*\/download\/[0-9a-f]{64}-pcre2-10\.42\.tar\.bz2/);
      // two parts missing their files: both reported by one offline run, before either is made
      d.write(
        'buildout.cfg',
        `[buildout]\nparts = pcre-source tool\ndownload-cache = ` +
          `${cache.dir}\n${part(server, '/pcre2-10.42.tar.bz2')}\n${part(server, '/tool.sh', 'download-only = true', 'tool')}`,
      );
      const both = await d.runAsync('-o');
      assert.equal(both.status, 2);
      assert.match(
        both.stderr,
        /error\[OFFLINE_MISS\]: offline mode: .*\/pcre2-10\.42\.tar\.bz2 is not in the download cache\n.*\[pcre-source\] url\n/,
      );
      assert.match(
        both.stderr,
        /error\[OFFLINE_MISS\]: offline mode: .*\/tool\.sh is not in the download cache\n.*\[tool\] url\n/,
      );
      assert.match(both.stderr, /\n2 errors\n/);
      assert.ok(!d.exists('parts/pcre-source') && !d.exists('parts/tool'), 'nothing made');
      // without a download-cache nothing can be served offline: said for each file
      d.write('buildout.cfg', `[buildout]\nparts = pcre-source\n${part(server, '/pcre2-10.42.tar.bz2')}`);
      const noCache = await d.runAsync('-o', 'plan');
      assert.equal(noCache.status, 0, 'plan reports, it does not fail');
      assert.match(
        noCache.stderr,
        /warning\[OFFLINE_MISS\]: offline mode: .*\/pcre2-10\.42\.tar\.bz2 is not in the download cache\n[^]*no download-cache is configured\n[^]*hint: set \[buildout\] download-cache = DIR/,
      );
      d.write(
        'buildout.cfg',
        `[buildout]\nparts = pcre-source\ndownload-cache = ${cache.dir}\n${part(server, '/pcre2-10.42.tar.bz2')}`,
      );
      assert.equal((await d.runAsync()).status, 0);
      d.write('buildout.cfg', '[buildout]\nparts =\n');
      assert.equal((await d.runAsync()).status, 0);
      d.write(
        'buildout.cfg',
        `[buildout]\nparts = pcre-source\ndownload-cache = ${cache.dir}\n${part(server, '/pcre2-10.42.tar.bz2')}`,
      );
      const fromCache = await d.runAsync('-o');
      assert.equal(fromCache.status, 0, fromCache.stderr);
      assert.equal(d.read('parts/pcre-source/pcre2-10.42/README'), 'PCRE2\n');
    } finally {
      cache.cleanup();
    }
  }));

test(
  'a failed reinstall keeps the unpacked tree that works; a good one replaces it, in its own destination ' +
    'and in a shared one',
  () =>
    withServer(async (server, d) => {
      d.write('vendor/keep.txt', 'an operator file\n');
      const config = (
        own: keyof typeof ARCHIVES,
        shared: keyof typeof ARCHIVES,
      ) => `[buildout]\nparts = pcre-source flat
${part(server, own, 'strip-top-level-dir = true')}
${part(server, shared, 'destination = ${buildout:directory}/vendor', 'flat')}
[paths]
readme = \${pcre-source:location}/README
`;
      d.write('buildout.cfg', config('/pcre2-10.42.tar.bz2', '/flat.tar.gz'));
      assert.equal((await d.runAsync()).status, 0);
      const before = d.state().parts;

      d.write('buildout.cfg', config('/evil-1.0.tar.gz', '/flat.tar.gz'));
      const unsafe = await d.runAsync();
      assert.equal(unsafe.status, 2, unsafe.stderr);
      assert.match(unsafe.stderr, /has an unsafe entry, so it was refused/);
      assert.match(unsafe.stderr, /the installed \[pcre-source\] is kept as it was and still recorded/);
      assert.equal(d.read('parts/pcre-source/README'), 'PCRE2\n', 'the tree that works is still there');
      assert.deepEqual(d.state().parts['pcre-source'], before['pcre-source']);
      assert.deepEqual(readdirSync(d.path('parts')), ['pcre-source'], 'no staging directory left');

      d.write(
        'buildout.cfg',
        config('/sf/pcre/download', '/flat.tar.gz').replace(
          'strip-top-level-dir = true',
          'strip-top-level-dir = true\nversion = 10.42',
        ),
      );
      const replaced = await d.runAsync();
      assert.equal(replaced.status, 0, replaced.stderr);
      assert.equal(d.read('parts/pcre-source/README'), 'PCRE2\n');
      assert.equal(d.state().parts['pcre-source'].options.url, server.at('/sf/pcre/download'));
      assert.deepEqual(readdirSync(d.path('parts')), ['pcre-source']);

      // into a destination that is not the part's: its own entries are replaced, the operator's kept
      d.write(
        'buildout.cfg',
        config('/sf/pcre/download', '/flat.tar.gz')
          .replace('strip-top-level-dir = true', 'strip-top-level-dir = true\nversion = 10.42')
          .replace('[flat]', '[flat]\nversion = 2'),
      );
      const again = await d.runAsync();
      assert.equal(again.status, 0, again.stderr);
      assert.match(again.stderr, /reinstall\s+flat/);
      assert.deepEqual(readdirSync(d.path('vendor')).sort(), ['a.txt', 'b.txt', 'keep.txt']);
      assert.equal(d.read('vendor/keep.txt'), 'an operator file\n');
      assert.deepEqual(d.state().parts.flat.paths.sort(), [d.path('vendor/a.txt'), d.path('vendor/b.txt')]);
    }),
);
