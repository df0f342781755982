/**
 * Unit tests sit beside the module they test (src/plan/plan.test.ts next to src/plan/plan.ts; so
 * in programs/ and recipes/), import what that module may import (the dependency rule reads them
 * too), and are never part of what ships: no module imports one, so neither the bundled CLI nor a
 * program loads node:test. scripts/run-tests.js runs them with the suites under test/.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';

const FOLDERS = ['src', 'programs', 'recipes'];

function files(dir: string, suffix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return files(full, suffix);
    return entry.name.endsWith(suffix) ? [path.relative(ROOT, full)] : [];
  });
}

const unitTests = FOLDERS.flatMap((folder) => files(path.join(ROOT, folder), '.test.ts'));

test('every unit test sits beside the module it is named after', () => {
  assert.ok(unitTests.length >= 5, `unit tests found: ${unitTests.join(', ')}`);
  const orphans = unitTests.filter((file) => !existsSync(path.join(ROOT, file.replace(/\.test\.ts$/, '.ts'))));
  assert.deepEqual(orphans, []);
});

test('no module imports a test file', () => {
  const importsTest = /(?:from|import|require)\s*\(?\s*'[^']*\.test(?:\.js)?'/;
  const offenders = FOLDERS.flatMap((folder) => files(path.join(ROOT, folder), '.ts')).filter((file) =>
    importsTest.test(readFileSync(path.join(ROOT, file), 'utf8')),
  );
  assert.deepEqual(offenders, []);
});

const BUNDLE = path.join(ROOT, 'dist', 'assemble.js');

test('the bundled CLI holds no test code', { skip: !existsSync(BUNDLE) && 'not built' }, () => {
  const bundle = readFileSync(BUNDLE, 'utf8');
  assert.doesNotMatch(bundle, /require\("node:test"\)|from "node:test"/);
  assert.doesNotMatch(bundle, /\.test\.(?:ts|js)/);
});

test('scripts/run-tests.js runs the unit tests beside the modules, and not the slow builds by default', () => {
  const runner = path.join(ROOT, 'scripts', 'run-tests.js');
  const listed = spawnSync(process.execPath, [runner, '--list'], { encoding: 'utf8', cwd: ROOT });
  assert.equal(listed.status, 0, listed.stderr);
  const run = new Set(listed.stdout.trim().split('\n'));
  const expected = unitTests.map((file) => path.join('dist', file.replace(/\.ts$/, '.js')));
  assert.deepEqual(
    expected.filter((file) => !run.has(file)),
    [],
  );
  assert.ok(run.has(path.join('dist', 'test', 'architecture', 'unit-tests.test.js')));
  const slow = [...run].filter((file) => file.startsWith(path.join('dist', 'test', 'slow')));
  assert.deepEqual(slow, [], 'the slow builds run only with --slow');
});
