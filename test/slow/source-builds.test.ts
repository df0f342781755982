/**
 * Real source builds (slow: `npm run test:builds`): memcached, haproxy and nginx built by the
 * cmmi recipe from buildout.d/source-builds.cfg, offline (-o), from their release tarballs.
 *
 * The machines reach no internet but Debian's mirror, so the tarballs come from Debian's source
 * packages (deb-src enabled if missing, `apt-get source --download-only`: scripts/debian-sources.js)
 * and are seeded into the download cache under the config's real upstream URLs
 * (scripts/seed-download-cache.js checks them against the config's sha256 first). haproxy's and
 * nginx's are byte-identical to upstream's. memcached's is not: Debian ships an xz repack of the
 * release, so this test overrides memcached's url and sha256 with Debian's file, and says so.
 * Then a second deployment with the same shared-builds directory must build nothing.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { Deployment } from '../helpers/deployment';
import { assembleAsync } from '../helpers/run';
import { ROOT, tempDir } from '../helpers/paths';

/* eslint-disable @typescript-eslint/no-require-imports */
const { enableDebSrc, fetchOrig } = require(path.join(ROOT, 'scripts', 'debian-sources.js')) as {
  enableDebSrc(): boolean; fetchOrig(dir: string, pkg: string, version: string): string;
};
const { seedDownloadCache } = require(path.join(ROOT, 'scripts', 'seed-download-cache.js')) as {
  seedDownloadCache(args: { cache: string; namespace?: string; url: string; file: string; sha256?: string }): { slot: string };
};

const SOURCES = path.join(ROOT, 'test', 'tmp', 'debian-src'); // kept between runs (gitignored)
// the newest security versions 404 on this mirror; these bookworm versions have the same orig tarballs
const PACKAGES = { memcached: '1.6.18-1', haproxy: '2.6.12-1+deb12u3', nginx: '1.22.1-9+deb12u9' };
const MEMCACHED_DEBIAN = {
  url: 'http://deb.debian.org/debian/pool/main/m/memcached/memcached_1.6.18.orig.tar.xz',
  sha256: '35872bd25f8d29d7cc2072d23e74344530891bfd0aa4f4f64184a8ae7291164b',
};

function config(cache: string, shared: string): string {
  return `[buildout]
extends = ${path.join(ROOT, 'buildout.d', 'source-builds.cfg')}
parts = \${buildout:source-build-parts}
download-cache = ${cache}
shared-builds = ${shared}
allow-picked-versions = false
# memcached: Debian's xz repack of the 1.6.18 release (upstream's .tar.gz is not reachable here)
[downloads]
memcached = ${MEMCACHED_DEBIAN.url}
[checksums]
memcached = ${MEMCACHED_DEBIAN.sha256}
`;
}

function output(argv: string[]): string {
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8' });
  assert.equal(r.status, 0, `${argv.join(' ')}: ${r.stderr}`);
  return `${r.stdout}${r.stderr}`;
}

test('memcached, haproxy and nginx build from source offline, run, and a second deployment builds nothing', { timeout: 15 * 60_000 }, async (t) => {
  if (enableDebSrc()) t.diagnostic('deb-src was missing: wrote /etc/apt/sources.list.d/zetaserver-src.sources');
  const orig = Object.fromEntries(Object.entries(PACKAGES).map(([pkg, version]) => [pkg, fetchOrig(SOURCES, pkg, version)]));
  const temp = tempDir('zeta-real-builds-');
  const cache = path.join(temp.dir, 'downloads');
  const shared = path.join(temp.dir, 'shared');
  const one = new Deployment(config(cache, shared));
  const two = new Deployment(config(path.join(temp.dir, 'empty-cache'), shared));
  try {
    for (const pkg of ['haproxy', 'nginx', 'memcached']) {
      const url = one.run('query', `downloads:${pkg}`).stdout.trim();
      const sha256 = one.run('query', `checksums:${pkg}`).stdout.trim();
      if (pkg !== 'memcached') assert.match(url, /^https:\/\/(www\.haproxy\.org|nginx\.org)\//, 'the real upstream URL');
      seedDownloadCache({ cache, namespace: 'cmmi', url, file: orig[pkg], sha256 });
    }

    const started = Date.now();
    const first = await assembleAsync(['-o'], { cwd: one.dir, timeoutMs: 12 * 60_000 });
    assert.equal(first.status, 0, first.stderr);
    t.diagnostic(`first deployment: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    for (const line of first.stderr.split('\n').filter((l) => / built /.test(l))) t.diagnostic(line.trim());
    assert.equal((first.stderr.match(/ built \w+ [\d.]+ into the shared /g) ?? []).length, 3);

    const memcached = one.path('parts/memcached-build/bin/memcached');
    assert.match(output([memcached, '-V']), /^memcached 1\.6\.18$/m);
    assert.match(output([memcached, '-h']), /^memcached 1\.6\.18\n/);
    const haproxy = output([one.path('parts/haproxy-build/sbin/haproxy'), '-vv']);
    assert.match(haproxy, /^HAProxy version 2\.6\.12-/m);
    for (const feature of ['OPENSSL', 'PCRE2', 'PCRE2_JIT', 'ZLIB']) assert.match(haproxy, new RegExp(`\\+${feature}\\b`), feature);
    const nginx = output([one.path('parts/nginx-build/sbin/nginx'), '-V']);
    assert.match(nginx, /nginx version: nginx\/1\.22\.1/);
    assert.match(nginx, new RegExp(`configure arguments: --prefix=${shared}/nginx-1\\.22\\.1-[0-9a-f]{16} --with-http_ssl_module --with-http_v2_module --with-http_stub_status_module --with-threads`));

    const again = Date.now();
    const second = await assembleAsync(['-o'], { cwd: two.dir, timeoutMs: 5 * 60_000 });
    assert.equal(second.status, 0, second.stderr);
    const seconds = (Date.now() - again) / 1000;
    t.diagnostic(`second deployment (same shared builds, empty download cache): ${seconds.toFixed(1)} s`);
    assert.doesNotMatch(second.stderr, / built /, 'nothing was built');
    assert.equal((second.stderr.match(/reusing the shared build/g) ?? []).length, 3);
    assert.match(execFileSync(two.path('parts/haproxy-build/sbin/haproxy'), ['-v'], { encoding: 'utf8' }), /HAProxy version 2\.6\.12/);
    assert.ok(seconds < 30, `reusing took ${seconds} s`);
  } finally {
    one.cleanup();
    two.cleanup();
    temp.cleanup();
  }
});
