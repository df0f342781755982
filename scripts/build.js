#!/usr/bin/env node
/**
 * Builds Zetaserver: tsc (type-checks, and compiles src, recipes, tests and benchmarks into
 * dist/), then esbuild bundles the CLI into dist/assemble.js, then a warm-up run writes the V8
 * code cache dist/assemble.js.cache (see src/cli/load-bundle.ts).
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');

function run(command, args, env) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env: env ?? process.env });
  if (result.status !== 0) {
    console.error(`build: ${command} ${args.join(' ')} failed`);
    process.exit(result.status || 1);
  }
}

run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
run(path.join(root, 'node_modules', '.bin', 'esbuild'), [
  'dist/src/cli/entry.js', '--bundle', '--platform=node', '--target=node20', '--log-level=warning',
  '--outfile=dist/assemble.js',
  // run-time dependencies stay in node_modules: loaded only by the commands that need them
  '--external:undici', '--external:tar', '--external:mustache', '--external:semver', '--external:pm2',
]);
fs.rmSync(path.join(root, 'dist', 'assemble.js.cache'), { force: true });
const sample = path.join(root, 'test', 'fixtures', 'config', 'macros', 'buildout.cfg');
const env = { ...process.env, ZETA_WRITE_CODE_CACHE: '1' };
delete env.NODE_EXTRA_CA_CERTS;
const warm = spawnSync(process.execPath, [path.join(root, 'dist', 'src', 'cli', 'load-bundle.js'), '-c', sample, 'annotate', '--json'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
if (warm.status !== 0) {
  console.error('build: the warm-up run of the bundled CLI failed');
  process.exit(1);
}
