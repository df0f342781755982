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
for (const cache of ['assemble.js.cache', 'assemble.js.inspect-cache']) fs.rmSync(path.join(root, 'dist', cache), { force: true });
// The warm-up runs, in one process (ZETA_WARM_UP, src/cli/entry.ts), an install and a no-op
// re-run of a small deployment (extends, a macro, substitutions, +=, two template parts) and
// annotate --json of it: the cache then holds the configuration stages, the engine, the template
// recipe and annotate, compiled; what it lacks (other recipes) compiles lazily as usual.
const warmDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'zeta-warm-up-'));
fs.writeFileSync(path.join(warmDir, 'base.cfg'), [
  '[buildout]', 'parts = first', '[hosts]', 'public = 127.0.0.1', '[ports]', 'http = 8000', '',
].join('\n'));
fs.writeFileSync(path.join(warmDir, 'buildout.cfg'), [
  '[buildout]', 'extends = base.cfg', 'parts += second', '',
  '[first]', 'recipe = template', 'inline =', '    listen ${hosts:public}:${ports:http}', '    name ${:_buildout_section_name_}',
  'output = ${buildout:directory}/out/${:_buildout_section_name_}.conf', '',
  '[second]', '<= first', 'inline = plain text, no tags', '',
].join('\n'));
const env = { ...process.env, ZETA_WRITE_CODE_CACHE: '1' };
delete env.NODE_EXTRA_CA_CERTS;
env.ZETA_WARM_UP = JSON.stringify([['-q'], ['-q'], ['annotate', '--json']].map((argv) => ({ cwd: warmDir, argv })));
// through bin/assemble: the cache must be made under the launcher's V8 flags
const warm = spawnSync(path.join(root, 'bin', 'assemble'), [], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
// annotate alone, with no parts (the configuration stages only), for annotate's and query's cache
const inspect = spawnSync(path.join(root, 'bin', 'assemble'), ['buildout:parts=', 'annotate', '--json'], { cwd: warmDir, env: { ...env, ZETA_WARM_UP: '' }, stdio: ['ignore', 'ignore', 'inherit'] });
if (warm.status !== 0 || inspect.status !== 0) {
  console.error('build: the warm-up runs of the bundled CLI failed');
  process.exit(1);
}
fs.rmSync(warmDir, { recursive: true, force: true });
