#!/usr/bin/env node
/**
 * Runs the compiled tests with node's built-in runner. `npm test` runs everything but the slow
 * real source builds; `npm run test:builds` runs those. Extra arguments filter test files by a
 * substring of their path from the repository (dist/test/...), e.g. `npm test -- config`.
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const distTests = path.join(root, 'dist', 'test');

function find(dir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? find(full) : entry.name.endsWith('.test.js') ? [full] : [];
  });
}

const argv = process.argv.slice(2);
const slow = argv.includes('--slow');
const filters = argv.filter((a) => !a.startsWith('--'));
const files = find(distTests)
  .filter((file) => slow === file.includes(`${path.sep}slow${path.sep}`))
  // a filter matches the path from the repository (dist/test/...), not where the clone happens to be
  .filter((file) => !filters.length || filters.some((f) => path.relative(root, file).includes(f)))
  .sort();
if (!files.length) {
  console.error(`run-tests: no ${slow ? 'slow ' : ''}test files matched`);
  process.exit(slow && !filters.length ? 0 : 1);
}
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS; // see bin/assemble: it only slows every node start
const result = spawnSync(process.execPath, ['--test', '--test-reporter=spec', '--test-concurrency=2', ...files], { stdio: 'inherit', cwd: root, env });
process.exit(result.status ?? 1);
