/**
 * Set-up's decision to skip the build (scripts/build-stamp.js), on a small tree shaped like the
 * repository: the inputs come from its tsconfig.json `include`, a stamp marks the last
 * successful build, and mtimes are set explicitly so the clock's granularity plays no part.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT, tempDir } from '../helpers/paths';

interface BuildStamp {
  beginBuild(root: string): void;
  finishBuild(root: string): void;
  buildInputs(root: string): string[];
  buildStaleness(root: string, force?: string): string | undefined;
  STAMP: string;
}
const stamp = require(path.join(ROOT, 'scripts', 'build-stamp.js')) as BuildStamp;

const PAST = 1_700_000_000; // seconds: every file of the tree
const BUILT = PAST + 100; // the stamp
const LATER = PAST + 200; // an edit after the build

const FILES = {
  'tsconfig.json': JSON.stringify({ include: ['src/**/*.ts', 'programs/**/*.ts', 'test/**/*.ts'] }),
  'package-lock.json': '{}',
  'scripts/build.js': '',
  'bin/assemble': '',
  'src/cli/entry.ts': 'export {};',
  'programs/agent/main.ts': 'export {};',
  'test/fixtures/case/buildout.cfg': '[buildout]',
  'templates/nginx/nginx.conf': 'events {}',
  'docs/notes.md': 'not an input',
  '.gitignore': 'dist/\n/test/tmp/\n*.log\n',
  'test/tmp/downloads/old.tar.gz': '',
  'test/fixtures/case/run.log': '',
};

function setAll(dir: string, seconds: number): void {
  utimesSync(dir, seconds, seconds);
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) setAll(full, seconds);
    else utimesSync(full, seconds, seconds);
  }
}

/** The tree, every mtime at PAST, and (unless `built` is false) a stamp at BUILT. */
function withTree(body: (root: string) => void, built = true): void {
  const { dir, cleanup } = tempDir('zeta-stamp-');
  try {
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), text);
    }
    mkdirSync(path.join(dir, 'dist'));
    if (built) writeFileSync(path.join(dir, stamp.STAMP), '');
    setAll(dir, PAST);
    if (built) utimesSync(path.join(dir, stamp.STAMP), BUILT, BUILT);
    body(dir);
  } finally {
    cleanup();
  }
}

const touch = (root: string, file: string) => utimesSync(path.join(root, file), LATER, LATER);

test('nothing touched since the build: fresh', () =>
  withTree((root) => {
    assert.equal(stamp.buildStaleness(root), undefined);
  }));

test('no stamp: stale', () =>
  withTree((root) => {
    assert.equal(stamp.buildStaleness(root), 'no successful build yet');
  }, false));

test('a source touched after the build: stale, naming it', () =>
  withTree((root) => {
    touch(root, 'src/cli/entry.ts');
    assert.equal(stamp.buildStaleness(root), `${path.join('src', 'cli', 'entry.ts')} changed since the last build`);
  }));

test('a file under a new include root (programs/) counts: the roots come from tsconfig.json', () =>
  withTree((root) => {
    touch(root, 'programs/agent/main.ts');
    assert.match(stamp.buildStaleness(root) ?? 'fresh', /^programs.agent.main\.ts changed/);
    assert.deepEqual(stamp.buildInputs(root).slice(0, 3), ['src', 'programs', 'test']);
  }));

test('tsconfig.json, package-lock.json, scripts/build.js and bin/assemble are inputs', () => {
  for (const file of ['tsconfig.json', 'package-lock.json', 'scripts/build.js', 'bin/assemble']) {
    withTree((root) => {
      touch(root, file);
      assert.equal(stamp.buildStaleness(root), `${path.normalize(file)} changed since the last build`, file);
    });
  }
});

test("a source removed or added is a change (its directory's mtime moves)", () =>
  withTree((root) => {
    rmSync(path.join(root, 'test', 'fixtures', 'case', 'buildout.cfg'));
    assert.match(stamp.buildStaleness(root) ?? 'fresh', /^test.fixtures.case changed/);
  }));

test('templates/ and files outside the include roots are not inputs', () =>
  withTree((root) => {
    touch(root, 'templates/nginx/nginx.conf');
    touch(root, 'docs/notes.md');
    assert.equal(stamp.buildStaleness(root), undefined);
  }));

test('what is under a scratch directory .gitignore names (/test/tmp/) is not an input', () =>
  withTree((root) => {
    writeFileSync(path.join(root, 'test', 'tmp', 'downloads', 'new.tar.gz'), '');
    touch(root, 'test/tmp/downloads/old.tar.gz');
    assert.equal(stamp.buildStaleness(root), undefined);
  }));

test('a file matched by a wildcard .gitignore pattern (*.log) stays an input', () =>
  withTree((root) => {
    touch(root, 'test/fixtures/case/run.log');
    assert.match(stamp.buildStaleness(root) ?? 'fresh', /^test.fixtures.case.run\.log changed/);
  }));

test('a forced rebuild is stale with its reason', () =>
  withTree((root) => {
    assert.equal(stamp.buildStaleness(root, '--rebuild'), '--rebuild');
  }));

test('a build that began and did not finish leaves no stamp; one that finished does', () =>
  withTree((root) => {
    stamp.beginBuild(root);
    assert.equal(stamp.buildStaleness(root), 'no successful build yet', 'interrupted or failed');
    stamp.finishBuild(root);
    assert.equal(stamp.buildStaleness(root), undefined);
  }));

test('a source saved during the build (after it began) is newer than the stamp', () =>
  withTree((root) => {
    stamp.beginBuild(root);
    const began = statSync(path.join(root, 'dist', '.build-started')).mtimeMs / 1000;
    utimesSync(path.join(root, 'src', 'cli', 'entry.ts'), began + 1, began + 1);
    stamp.finishBuild(root);
    assert.match(stamp.buildStaleness(root) ?? 'fresh', /^src.cli.entry\.ts changed/);
  }));

test('an unreadable tsconfig.json makes the build stale instead of failing set-up', () =>
  withTree((root) => {
    writeFileSync(path.join(root, 'tsconfig.json'), '{ "include": [');
    utimesSync(path.join(root, 'tsconfig.json'), PAST, PAST);
    assert.match(stamp.buildStaleness(root) ?? 'fresh', /^tsconfig\.json cannot be read/);
  }));

test('setup.js refuses an unknown group with exit 2, naming the known ones', () => {
  const setup = path.join(ROOT, 'scripts', 'setup.js');
  const result = spawnSync(process.execPath, [setup, 'run', 'tests'], { encoding: 'utf8', timeout: 10_000 });
  assert.equal(result.status, 2);
  const known = /^setup: unknown package group "tests"\n {2}hint: the groups are run, test, nodeset, bench, builds/;
  assert.match(result.stderr, known);
});
