#!/usr/bin/env node
/**
 * One idempotent set-up for a fresh Debian machine, run before `npm start`, `npm test` and the
 * other commands in package.json: the Debian packages of the groups named (scripts/packages.js;
 * apt-get, only when some are missing), the npm packages (npm ci, only when node_modules is
 * stale), and the compiled JavaScript (scripts/build.js, only when dist/ is older than its
 * sources: scripts/build-stamp.js).
 *
 *     node scripts/setup.js [GROUP ...] [--rebuild] [--verbose]      e.g. node scripts/setup.js run test
 *
 * No group means every group. --rebuild builds even when dist/ is up to date.
 * Plain JavaScript on purpose: it must run before anything is installed or built.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { PACKAGE_GROUPS } = require('./packages.js');
const { buildStaleness } = require('./build-stamp.js');

const USAGE = 'usage: node scripts/setup.js [GROUP ...] [--rebuild] [--verbose]';

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`setup: ${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status || 1);
  }
}

function parseArguments(argv) {
  const flags = new Set(argv.filter((a) => a.startsWith('-')));
  for (const flag of flags) {
    if (flag !== '--rebuild' && flag !== '--verbose') usageError(`unknown option ${JSON.stringify(flag)}`);
  }
  const groups = argv.filter((a) => !a.startsWith('-'));
  for (const group of groups) {
    if (!Object.hasOwn(PACKAGE_GROUPS, group)) usageError(`unknown package group ${JSON.stringify(group)}`);
  }
  return {
    groups: groups.length ? groups : Object.keys(PACKAGE_GROUPS),
    rebuild: flags.has('--rebuild'),
    verbose: flags.has('--verbose'),
  };
}

function usageError(message) {
  const known = Object.keys(PACKAGE_GROUPS).join(', ');
  console.error(
    `setup: ${message}\n  hint: the groups are ${known} (scripts/packages.js); ${USAGE}\n` +
      '  e.g. node scripts/setup.js run test',
  );
  process.exit(2);
}

/** One dpkg-query for every package: it prints the installed ones and complains about the rest. */
function missingPackages(names) {
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package} ${Status}\n', ...names], { encoding: 'utf8' });
  const installed = new Set(
    (r.stdout ?? '')
      .split('\n')
      .filter((line) => line.endsWith(' install ok installed'))
      .map((line) => line.split(' ')[0].split(':')[0]),
  );
  return names.filter((name) => !installed.has(name));
}

function ensureDebianPackages(groups) {
  const missing = missingPackages([...new Set(groups.flatMap((group) => PACKAGE_GROUPS[group]))]);
  if (!missing.length) return;
  if (process.getuid && process.getuid() !== 0) {
    const list = missing.join(' ');
    console.error(
      `setup: these Debian packages are missing: ${list}\n` +
        `  hint: install them as root: apt-get install -y ${list}`,
    );
    process.exit(1);
  }
  console.error(`setup: installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  // policy-rc.d may forbid starting services (containers); that is fine: we start our own.
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}

function mtime(file) {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/** npm ci when node_modules is older than package-lock.json; whether it ran. */
function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (mtime(marker) >= mtime(path.join(root, 'package-lock.json')) && mtime(marker) > 0) return false;
  console.error('setup: installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
  return true;
}

function ensureBuild(force) {
  const stale = buildStaleness(root, force);
  if (!stale) {
    console.error('setup: build is up to date');
    return;
  }
  console.error(`setup: building (${stale})`);
  run(process.execPath, [path.join(root, 'scripts', 'build.js')]);
}

const options = parseArguments(process.argv.slice(2));
ensureDebianPackages(options.groups);
const reinstalled = ensureNodeModules();
ensureBuild(options.rebuild ? '--rebuild' : reinstalled ? 'npm packages reinstalled' : undefined);
if (options.verbose) execFileSync('node', ['--version'], { stdio: 'inherit' });
