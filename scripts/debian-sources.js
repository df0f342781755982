#!/usr/bin/env node
/**
 * Upstream source tarballs from Debian's source packages, for the slow real-build tests (the
 * machines have no internet besides Debian's mirror). Debian's `<pkg>_<version>.orig.tar.*` is
 * the upstream release tarball, byte for byte for nginx and haproxy (memcached's is an xz repack:
 * see docs/build-recipes.md).
 *
 * - enableDebSrc(): when no deb-src entry exists, writes exactly one,
 *   /etc/apt/sources.list.d/zetaserver-src.sources, a copy of debian.sources with
 *   `Types: deb-src`, and runs apt-get update.
 * - fetchOrig(dir, package, version): `apt-get source --download-only package=version` into dir
 *   (skipped when the orig tarball is there already); returns the orig tarball's path.
 *
 * Usage: node scripts/debian-sources.js DIR PACKAGE=VERSION...
 */
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const LISTS = '/etc/apt/sources.list.d';
const OURS = path.join(LISTS, 'zetaserver-src.sources');

function run(argv, options = {}) {
  const result = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    ...options,
  });
  return { status: result.status, output: `${result.stdout ?? ''}${result.stderr ?? ''}` };
}

/** Whether any apt source list already has a deb-src entry (one-line or deb822 style). */
function hasDebSrc() {
  const files = [
    '/etc/apt/sources.list',
    ...(fs.existsSync(LISTS)
      ? fs
          .readdirSync(LISTS)
          .filter((f) => /\.(list|sources)$/.test(f))
          .map((f) => path.join(LISTS, f))
      : []),
  ];
  return files.some((file) => {
    let text;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      return false;
    }
    return /^\s*deb-src\s/m.test(text) || /^Types:.*\bdeb-src\b/im.test(text);
  });
}

/** Adds deb-src from the machine's own Debian source list; returns true when it wrote one. */
function enableDebSrc() {
  if (hasDebSrc()) return false;
  const template = path.join(LISTS, 'debian.sources');
  if (!fs.existsSync(template))
    throw new Error(`no deb-src entry and no ${template} to copy it from; add a deb-src line for bookworm by hand`);
  const text = fs.readFileSync(template, 'utf8').replace(/^Types:.*$/gm, 'Types: deb-src');
  fs.writeFileSync(
    OURS,
    `# written by Zetaserver's scripts/debian-sources.js: source packages for the real-build tests\n${text}`,
  );
  const update = run(['apt-get', 'update', '-q']);
  if (update.status !== 0) throw new Error(`apt-get update failed:\n${update.output}`);
  return true;
}

/** The orig tarball of package=version in dir, fetched with apt-get source when missing. */
function fetchOrig(dir, pkg, version) {
  fs.mkdirSync(dir, { recursive: true });
  const upstream = version.replace(/^\d+:/, '').replace(/-[^-]+$/, '');
  const find = () => fs.readdirSync(dir).find((f) => f.startsWith(`${pkg}_${upstream}.orig.tar.`));
  if (find()) return path.join(dir, find());
  let fetched = run(['apt-get', 'source', '--download-only', '-q', `${pkg}=${version}`], { cwd: dir });
  if (fetched.status !== 0 && /Unable to find a source package|Can not find version/i.test(fetched.output)) {
    run(['apt-get', 'update', '-q']); // the lists may predate the deb-src entry
    fetched = run(['apt-get', 'source', '--download-only', '-q', `${pkg}=${version}`], { cwd: dir });
  }
  if (fetched.status !== 0 || !find())
    throw new Error(`apt-get source --download-only ${pkg}=${version} failed:\n${fetched.output}`);
  return path.join(dir, find());
}

module.exports = { hasDebSrc, enableDebSrc, fetchOrig, OURS };

if (require.main === module) {
  const [dir, ...specs] = process.argv.slice(2);
  if (!dir || !specs.length) {
    console.error('usage: node scripts/debian-sources.js DIR PACKAGE=VERSION...');
    process.exit(2);
  }
  if (enableDebSrc()) console.error(`wrote ${OURS} and ran apt-get update`);
  for (const spec of specs) {
    const [pkg, version] = spec.split('=');
    console.log(fetchOrig(dir, pkg, version));
  }
}
