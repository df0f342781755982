/**
 * The download service through a recipe, against a local HTTP server: cache hits across
 * deployments, sha256 and md5 verification, mismatches that put nothing into the cache, offline
 * misses naming the URL, 404s, and URLs with the same file name in separate cache slots.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { serve } from '../helpers/http-server';
import { Deployment } from '../helpers/deployment';
import { tempDir } from '../helpers/paths';

const DEMO = 'zetaserver-recipe-demo';
const BODY_A = Buffer.from('archive A\n'.repeat(1000));
const BODY_B = Buffer.from('archive B\n');
const sha = (b: Buffer, algorithm = 'sha256'): string => createHash(algorithm).update(b).digest('hex');

function config(url: string, checksum: string, cache: string): string {
  return (
    `[buildout]\nparts = get\ndownload-cache = ${cache}\n[get]\nrecipe = ${DEMO}:fetch\nurl = ` +
    `${url}\nsha256 = ${checksum}\n`
  );
}

test('downloads are cached, verified, shared across deployments, and work offline from the cache', async () => {
  const server = await serve({ '/a/download': BODY_A, '/b/download': BODY_B });
  const cache = tempDir();
  const one = new Deployment(config(`${server.url}/a/download`, sha(BODY_A), cache.dir));
  const two = new Deployment(config(`${server.url}/a/download`, sha(BODY_A), cache.dir));
  try {
    const first = await one.runAsync();
    assert.equal(first.status, 0, first.stderr);
    assert.equal(one.read('parts/get/downloaded'), BODY_A.toString());
    assert.equal(server.hits.get('/a/download'), 1);
    const second = await two.runAsync('-o');
    assert.equal(second.status, 0, second.stderr);
    assert.equal(server.hits.get('/a/download'), 1, 'the second deployment used the cache');
    two.write('buildout.cfg', config(`${server.url}/b/download`, `md5:${sha(BODY_B, 'md5')}`, cache.dir));
    const other = await two.runAsync();
    assert.equal(other.status, 0, other.stderr);
    assert.equal(
      two.read('parts/get/downloaded'),
      BODY_B.toString(),
      'a URL with the same file name gets its own slot',
    );
    const files = readdirSync(path.join(cache.dir, 'demo'));
    assert.equal(files.filter((f) => !f.endsWith('.verified.json')).length, 2, `two slots: ${files.join(', ')}`);
    assert.equal(
      files.filter((f) => f.endsWith('.verified.json')).length,
      2,
      'each with the record of its verified digest',
    );
    assert.ok(files.every((f) => !f.endsWith('.part')));
  } finally {
    await server.close();
    one.cleanup();
    two.cleanup();
    cache.cleanup();
  }
});

test(
  'a checksum mismatch is an error that shows both sums, points at the pin, and puts nothing into ' + 'the cache',
  async () => {
    const server = await serve({ '/x.tar.gz': BODY_A });
    const cache = tempDir();
    const d = new Deployment(config(`${server.url}/x.tar.gz`, sha(BODY_B), cache.dir));
    try {
      const r = await d.runAsync();
      assert.equal(r.status, 2);
      assert.match(
        r.stderr,
        /error\[CHECKSUM_MISMATCH\]: the download of http:\/\/127\.0\.0\.1:\d+\/x\.tar\.gz does not match its sha256 checksum/,
      );
      assert.match(r.stderr, new RegExp(`expected: ${sha(BODY_B)}`));
      assert.match(r.stderr, new RegExp(`received: ${sha(BODY_A)}`));
      assert.match(r.stderr, /buildout\.cfg:7:10 {2}\[get\] sha256\n/, 'the error points at the sha256 option');
      assert.equal(
        existsSync(path.join(cache.dir, 'demo')) ? readdirSync(path.join(cache.dir, 'demo')).length : 0,
        0,
        'nothing half-written in the cache',
      );
      const aside = readdirSync(path.join(cache.dir, '.quarantine', 'demo'));
      assert.equal(aside.length, 2, `the mismatching download and its note, moved aside: ${aside.join(', ')}`);
      assert.ok(!d.exists('parts/get'));
    } finally {
      await server.close();
      d.cleanup();
      cache.cleanup();
    }
  },
);

test(
  'offline, a URL missing from the cache is named; a 404 is named too; a bad checksum option ' + 'is located',
  async () => {
    const server = await serve({});
    const cache = tempDir();
    const d = new Deployment(config(`${server.url}/nothere.tgz`, sha(BODY_A), cache.dir));
    try {
      const offline = await d.runAsync('-o');
      assert.equal(offline.status, 2);
      assert.match(
        offline.stderr,
        /error\[OFFLINE_MISS\]: offline mode: http:\/\/127\.0\.0\.1:\d+\/nothere\.tgz is not in the download cache/,
      );
      assert.match(offline.stderr, /expected at: .*\/demo\/[0-9a-f]{64}-nothere\.tgz/);
      const missing = await d.runAsync();
      assert.equal(missing.status, 2);
      assert.match(missing.stderr, /cannot download http:\/\/127\.0\.0\.1:\d+\/nothere\.tgz: HTTP 404/);
      d.write('buildout.cfg', config(`${server.url}/nothere.tgz`, 'abc123', cache.dir));
      const bad = await d.runAsync();
      assert.equal(bad.status, 2);
      assert.match(bad.stderr, /not a sha256 \(64 hex digits\) or md5 \(32 hex digits\) checksum: "abc123"/);
      assert.match(bad.stderr, /buildout\.cfg:7:1/);
    } finally {
      await server.close();
      d.cleanup();
      cache.cleanup();
    }
  },
);
