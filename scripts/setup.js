#!/usr/bin/env node
/**
 * One idempotent set-up for a fresh Debian machine, run before `npm start` and `npm test`:
 * the Debian packages the stack and the tests need (apt-get, only when some are missing),
 * the npm packages (npm ci, only when node_modules is stale), and the compiled JavaScript (tsc).
 * Plain JavaScript on purpose: it must run before anything is installed or built.
 */
'use strict';
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const { DEBIAN_PACKAGES } = require('./packages.js');

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', cwd: root, ...options });
  if (result.status !== 0) {
    console.error(`setup: ${command} ${args.join(' ')} failed (exit ${result.status})`);
    process.exit(result.status || 1);
  }
}

function missingPackages() {
  return DEBIAN_PACKAGES.filter((name) => {
    const r = spawnSync('dpkg-query', ['-W', '-f=${Status}', name], { encoding: 'utf8' });
    return !(r.status === 0 && r.stdout.includes('install ok installed'));
  });
}

function ensureDebianPackages() {
  const missing = missingPackages();
  if (!missing.length) return;
  if (process.getuid && process.getuid() !== 0) {
    console.error(`setup: these Debian packages are missing: ${missing.join(' ')}\n  install them as root: apt-get install -y ${missing.join(' ')}`);
    process.exit(1);
  }
  console.error(`setup: installing Debian packages: ${missing.join(' ')}`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-q'], { env });
  // policy-rc.d may forbid starting services (containers); that is fine: we start our own.
  run('apt-get', ['install', '-y', '-q', '--no-install-recommends', ...missing], { env });
}

function stamp(file) {
  try { return fs.statSync(file).mtimeMs; } catch { return 0; }
}

function ensureNodeModules() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  if (stamp(marker) >= stamp(path.join(root, 'package-lock.json')) && stamp(marker) > 0) return;
  console.error('setup: installing npm packages (npm ci)');
  run('npm', ['ci', '--no-audit', '--no-fund']);
}

function build() {
  run(process.execPath, [path.join(root, 'scripts', 'build.js')]);
}

ensureDebianPackages();
ensureNodeModules();
build();
if (process.argv.includes('--verbose')) execFileSync('node', ['--version'], { stdio: 'inherit' });
