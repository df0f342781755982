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
const { beginBuild, finishBuild } = require('./build-stamp');

function run(command, args, env) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, env: env ?? process.env });
  if (result.status !== 0) {
    console.error(`build: ${command} ${args.join(' ')} failed`);
    process.exit(result.status || 1);
  }
}

beginBuild(root); // no stamp until this build succeeds (scripts/build-stamp.js)
run(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
run(path.join(root, 'node_modules', '.bin', 'esbuild'), [
  'dist/src/cli/entry.js',
  '--bundle',
  '--platform=node',
  '--target=node20',
  '--log-level=warning',
  '--outfile=dist/assemble.js',
  // run-time dependencies stay in node_modules: loaded only by the commands that need them
  '--external:undici',
  '--external:tar',
  '--external:mustache',
  '--external:semver',
  '--external:pm2',
  '--external:better-sqlite3',
  '--external:diff', // jsdiff: loaded only when plan diffs a file
]);
for (const cache of ['assemble.js.cache', 'assemble.js.inspect-cache'])
  fs.rmSync(path.join(root, 'dist', cache), { force: true });
// Warm-up runs write the code caches, through bin/assemble (a cache is accepted only under the
// flags it was made with): a no-op re-run of a small deployment (extends, a macro, substitutions,
// +=, two template parts) makes the default cache, the most frequent run's functions compiled;
// annotate of the same files with no parts (the configuration stages alone) makes the smaller
// cache annotate and query use. Whatever a cache lacks compiles lazily, as without one.
const warmDir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'zeta-warm-up-'));
fs.writeFileSync(
  path.join(warmDir, 'base.cfg'),
  ['[buildout]', 'parts = first', '[hosts]', 'public = 127.0.0.1', '[ports]', 'http = 8000', ''].join('\n'),
);
fs.writeFileSync(
  path.join(warmDir, 'buildout.cfg'),
  [
    '[buildout]',
    'extends = base.cfg',
    'parts += second',
    '',
    '[first]',
    'recipe = template',
    'inline =',
    '    listen ${hosts:public}:${ports:http}',
    '    name ${:_buildout_section_name_}',
    'output = ${buildout:directory}/out/${:_buildout_section_name_}.conf',
    '',
    '[second]',
    '<= first',
    'inline = plain text, no tags',
    '',
  ].join('\n'),
);
const env = { ...process.env };
delete env.NODE_EXTRA_CA_CERTS;
const runs = [
  { argv: ['-q'], write: '0' }, // the first install
  { argv: ['-q'], write: '1' }, // the no-op re-run: assemble.js.cache
  { argv: ['buildout:parts=', 'annotate', '--json'], write: '1' }, // assemble.js.inspect-cache
];
for (const { argv, write } of runs) {
  const warm = spawnSync(path.join(root, 'bin', 'assemble'), argv, {
    cwd: warmDir,
    env: { ...env, ZETA_WRITE_CODE_CACHE: write },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (warm.status !== 0) {
    console.error(`build: the warm-up run bin/assemble ${argv.join(' ')} failed`);
    process.exit(1);
  }
}
fs.rmSync(warmDir, { recursive: true, force: true });
finishBuild(root);
