#!/usr/bin/env node
/**
 * Runs the compiled tests with node's built-in runner: the suites under test/ and the unit tests
 * beside the modules they test (src/**\/x.test.ts next to x.ts, and so in programs/ and
 * recipes/), all compiled into dist/. `npm test` runs everything but the slow real source
 * builds; `npm run test:builds` runs those. Extra arguments filter test files by a substring of
 * their path from the repository (dist/test/..., dist/src/...), e.g. `npm test -- config`;
 * `--list` prints the files that would run instead of running them.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
/** Where compiled tests are: the suites, and the unit tests beside the modules. */
const TEST_ROOTS = ['test', 'src', 'programs', 'recipes'].map((dir) => path.join(root, 'dist', dir));

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? find(full) : entry.name.endsWith('.test.js') ? [full] : [];
  });
}

/** The source a compiled test came from: tsc never deletes the output of a moved or deleted test. */
function sourceOf(file) {
  return path.join(root, path.relative(path.join(root, 'dist'), file)).replace(/\.js$/, '.ts');
}

const argv = process.argv.slice(2);
const slow = argv.includes('--slow');
const filters = argv.filter((a) => !a.startsWith('--'));
const compiled = TEST_ROOTS.flatMap(find);
const stale = compiled.filter((file) => !fs.existsSync(sourceOf(file))).map((file) => path.relative(root, file));
const files = compiled
  .filter((file) => fs.existsSync(sourceOf(file)))
  .filter((file) => slow === path.relative(root, file).startsWith(path.join('dist', 'test', 'slow') + path.sep))
  // a filter matches the path from the repository (dist/test/..., dist/src/...), not where the clone is
  .filter((file) => !filters.length || filters.some((f) => path.relative(root, file).includes(f)))
  .sort();
if (stale.length) console.error(`run-tests: not run, their sources are gone: ${stale.join(', ')}`);
if (!files.length) {
  console.error(`run-tests: no ${slow ? 'slow ' : ''}test files matched`);
  process.exit(slow && !filters.length ? 0 : 1);
}
if (argv.includes('--list')) {
  for (const file of files) console.log(path.relative(root, file));
  process.exit(0);
}
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // see bin/assemble: it only slows every node start
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], {
  stdio: 'inherit',
  cwd: root,
  env,
});
process.exit(result.status ?? 1);
