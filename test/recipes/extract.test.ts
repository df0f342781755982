/**
 * recipes/shared/extract.ts with real archive bytes: every compression, detected by content (the
 * files are named `download`), the single top-level directory, and every kind of hostile entry
 * refused by name with nothing written outside the target.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, lstatSync, mkdirSync, readFileSync, readlinkSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { extractArchive, ArchiveError } from '../../recipes/shared/extract';
import { detectFormat } from '../../recipes/shared/archive-format';
import { archiveOf, type Compression, type TarEntry } from '../helpers/tar-writer';
import { runCommand } from '../../src/execute/exec';
import { tempDir } from '../helpers/paths';

const PROJECT: TarEntry[] = [
  { path: 'pkg-1.0/', type: 'dir' },
  { path: 'pkg-1.0/README', content: 'read me\n' },
  { path: 'pkg-1.0/bin/run', content: '#!/bin/sh\necho run\n', mode: 0o755 },
  { path: 'pkg-1.0/docs/link', type: 'symlink', linkpath: '../README' },
  { path: 'pkg-1.0/copy', type: 'hardlink', linkpath: 'pkg-1.0/README' },
];

async function withTemp(body: (dir: string) => Promise<void>): Promise<void> {
  const temp = tempDir('zeta-extract-');
  try {
    await body(temp.dir);
  } finally {
    temp.cleanup();
  }
}

/** Writes the archive as `<dir>/download` and extracts it into `<dir>/out`. */
async function extract(
  dir: string,
  entries: TarEntry[],
  how: Compression = 'gzip',
  strip: 'auto' | 'required' | 'none' = 'auto',
) {
  const file = path.join(dir, 'download');
  writeFileSync(file, archiveOf(entries, how));
  const out = path.join(dir, 'out');
  mkdirSync(out);
  return { out, result: await extractArchive(runCommand, file, out, strip, 'download') };
}

for (const how of ['none', 'gzip', 'bzip2', 'xz', 'zstd'] as const) {
  test(`a ${how} tar is recognised by its content and unpacked with its top-level directory`, () =>
    withTemp(async (dir) => {
      const { out, result } = await extract(dir, PROJECT, how);
      assert.equal(detectFormat(path.join(dir, 'download')), how === 'none' ? 'tar' : how);
      assert.equal(result.root, path.join(out, 'pkg-1.0'));
      assert.equal(result.entries, PROJECT.length);
      assert.equal(
        readFileSync(path.join(result.root, 'docs/link'), 'utf8'),
        'read me\n',
        'the symlink inside the tree works',
      );
      assert.equal(readlinkSync(path.join(result.root, 'docs/link')), '../README');
      assert.equal(
        readFileSync(path.join(result.root, 'copy'), 'utf8'),
        'read me\n',
        'the hard link inside the tree works',
      );
      assert.ok((statSync(path.join(result.root, 'bin/run')).mode & 0o111) !== 0, 'modes are kept');
    }));
}

test('setuid, setgid and sticky bits are not extracted', () =>
  withTemp(async (dir) => {
    const { result } = await extract(dir, [
      { path: 'pkg/', type: 'dir', mode: 0o1777 },
      { path: 'pkg/su', content: 'x', mode: 0o6755 },
    ]);
    assert.equal(statSync(path.join(result.root, 'su')).mode & 0o7777, 0o755);
    assert.equal(statSync(result.root).mode & 0o7000, 0);
  }));

test('several top-level entries: auto keeps the target as root, required is an error naming them', () =>
  withTemp(async (dir) => {
    const flat: TarEntry[] = [
      { path: 'a.txt', content: 'a' },
      { path: 'b/', type: 'dir' },
    ];
    const { out, result } = await extract(dir, flat);
    assert.equal(result.root, out);
    const again = path.join(dir, 'again');
    mkdirSync(again);
    await assert.rejects(
      extractArchive(runCommand, path.join(dir, 'download'), again, 'required', 'flat.tgz'),
      (error: ArchiveError) => {
        assert.match(
          error.message,
          /cannot strip the top-level directory of flat\.tgz: it has 2 entries at its top \(a\.txt, b\)/,
        );
        assert.equal(error.option, 'strip-top-level-dir');
        return true;
      },
    );
  }));

const HOSTILE: Array<[string, TarEntry[], RegExp]> = [
  [
    'a ".." entry',
    [
      { path: 'pkg/ok', content: 'x' },
      { path: 'pkg/../../evil.txt', content: 'owned' },
    ],
    /"pkg\/\.\.\/\.\.\/evil\.txt" climbs out of the target with "\.\."/,
  ],
  [
    'an absolute path',
    [
      { path: 'pkg/ok', content: 'x' },
      { path: '/tmp/zeta-absolute-evil.txt', content: 'owned' },
    ],
    /"\/tmp\/zeta-absolute-evil\.txt" is an absolute path/,
  ],
  [
    'a symlink pointing out',
    [
      { path: 'pkg/link', type: 'symlink', linkpath: '../../../etc' },
      { path: 'pkg/link/passwd', content: 'owned' },
    ],
    /"pkg\/link" is a symlink pointing outside the target \(-> \.\.\/\.\.\/\.\.\/etc\)/,
  ],
  [
    'a symlink to an absolute path',
    [{ path: 'pkg/link', type: 'symlink', linkpath: '/etc' }],
    /"pkg\/link" is a symlink to the absolute path \/etc/,
  ],
  [
    'a hard link pointing out',
    [{ path: 'pkg/h', type: 'hardlink', linkpath: '../etc/passwd' }],
    /"pkg\/h" is a hard link to a file outside the target \(-> \.\.\/etc\/passwd\)/,
  ],
  ['a device file', [{ path: 'pkg/tty', type: 'chardev' }], /"pkg\/tty" is a CharacterDevice entry/],
];

for (const [what, entries, message] of HOSTILE) {
  test(`${what} is refused by name and nothing lands outside the target`, () =>
    withTemp(async (dir) => {
      await assert.rejects(extract(dir, entries), (error: ArchiveError) => {
        assert.ok(error instanceof ArchiveError);
        assert.match(error.message, /^archive download has an unsafe entry, so it was refused: /);
        assert.match(error.message, message);
        assert.match(error.hint ?? '', /damaged or hostile/);
        return true;
      });
      assert.ok(!existsSync(path.join(dir, 'evil.txt')) && !existsSync(path.join(path.dirname(dir), 'evil.txt')));
      assert.ok(!existsSync('/tmp/zeta-absolute-evil.txt'));
      const link = path.join(dir, 'out', 'pkg', 'link');
      assert.ok(!lstatSync(link, { throwIfNoEntry: false })?.isSymbolicLink(), 'the refused symlink was never made');
    }));
}

test('with the top directory stripped, a symlink out of it (but inside the archive) is refused', () =>
  withTemp(async (dir) => {
    const entries: TarEntry[] = [
      { path: 'pkg/', type: 'dir' },
      { path: 'pkg/link', type: 'symlink', linkpath: '../beside' },
    ];
    await assert.rejects(
      extract(dir, entries, 'gzip', 'required'),
      /"pkg\/link" is a symlink pointing outside the top-level directory/,
    );
  }));

test('a file that is not a tar archive, a damaged one and a zip are clear errors', () =>
  withTemp(async (dir) => {
    const html = path.join(dir, 'page');
    writeFileSync(html, '<html>not found</html>\n');
    mkdirSync(path.join(dir, 'o1'));
    await assert.rejects(
      extractArchive(runCommand, html, path.join(dir, 'o1'), 'auto', 'page'),
      /page is not a tar archive \(detected: unknown\)/,
    );
    const damaged = path.join(dir, 'damaged.tar.xz');
    writeFileSync(damaged, archiveOf(PROJECT, 'xz').subarray(0, 200));
    mkdirSync(path.join(dir, 'o2'));
    await assert.rejects(
      extractArchive(runCommand, damaged, path.join(dir, 'o2'), 'auto', 'damaged.tar.xz'),
      /xz -dc could not decompress damaged\.tar\.xz/,
    );
    const zip = path.join(dir, 'x.zip');
    writeFileSync(zip, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0, 0]));
    mkdirSync(path.join(dir, 'o3'));
    await assert.rejects(
      extractArchive(runCommand, zip, path.join(dir, 'o3'), 'auto', 'x.zip'),
      (error: ArchiveError) => /detected: zip/.test(error.message) && /zip is not supported/.test(error.hint ?? ''),
    );
    const gz = path.join(dir, 'bad.tgz');
    writeFileSync(gz, archiveOf(PROJECT, 'gzip').subarray(0, 60));
    mkdirSync(path.join(dir, 'o4'));
    await assert.rejects(extractArchive(runCommand, gz, path.join(dir, 'o4'), 'auto', 'bad.tgz'), ArchiveError);
  }));

test('bzip2, xz and zstd run through the exec the recipe passes (ctx.exec); a missing tool names its package', () =>
  withTemp(async (dir) => {
    const file = path.join(dir, 'download');
    writeFileSync(file, archiveOf(PROJECT, 'bzip2'));
    const ran: string[][] = [];
    const recording: typeof runCommand = (argv, options) => {
      ran.push(argv);
      return runCommand(argv, options);
    };
    mkdirSync(path.join(dir, 'o1'));
    await extractArchive(recording, file, path.join(dir, 'o1'), 'auto', 'download');
    assert.deepEqual(ran, [['bzip2', '-dc', file]]);
    const missing: typeof runCommand = (argv, options) =>
      runCommand([`${argv[0]}-not-installed`, ...argv.slice(1)], options);
    mkdirSync(path.join(dir, 'o2'));
    await assert.rejects(
      extractArchive(missing, file, path.join(dir, 'o2'), 'auto', 'x.tar.bz2'),
      (error: ArchiveError) =>
        /bzip2 is needed to unpack x\.tar\.bz2 \(a bzip2 archive\) and is not installed/.test(error.message) &&
        error.hint === 'install it: apt-get install bzip2',
    );
  }));
