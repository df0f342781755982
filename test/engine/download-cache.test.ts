/**
 * A download cache shared by several deployments, against a local HTTP server, with the cmmi
 * recipe building the tests' tiny C project: a deployment with a wrong sha256 is told so (URL,
 * both digests, the option) and never costs another deployment its verified file; a cached file
 * whose bytes no longer match its own record is quarantined, then fetched again online or
 * reported offline; a file that changed upstream is kept beside the new one for the pins that
 * name it; a file put into the cache by hand is adopted once a pin vouches for it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Deployment } from '../helpers/deployment';
import { tempDir } from '../helpers/paths';
import { archiveOf } from '../helpers/tar-writer';
import { serveArchives, type ArchiveServer } from '../helpers/archive-server';
import { helloProject, sha256 } from '../helpers/source-project';
import { cacheKey } from '../../src/download/download-service';

const ROUTE = '/dist/hello-1.0.tar.gz';
const HELLO = archiveOf(helloProject());
const HELLO_UPSTREAM_CHANGED = archiveOf(helloProject('hello-1.0', [{ path: 'NEWS', content: 'repacked upstream\n' }]));
const WRONG = sha256('not the archive');

function config(server: ArchiveServer, cache: string, pin: string): string {
  return `[buildout]
parts = hello
download-cache = ${cache}
[hello]
recipe = cmmi
url = ${server.at(ROUTE)}
sha256 = ${pin}
`;
}

function greet(d: Deployment): string {
  return execFileSync(d.path('parts/hello/bin/hello'), { encoding: 'utf8' }).trim();
}

function quarantined(cache: string): string[] {
  const dir = path.join(cache, '.quarantine', 'cmmi');
  return existsSync(dir) ? readdirSync(dir).filter((name) => !name.endsWith('.json')) : [];
}

test(
  'a wrong sha256 in one deployment is reported and never removes the verified file another deployment ' +
    'builds from offline',
  async () => {
    const server = await serveArchives({ [ROUTE]: HELLO });
    const cache = tempDir();
    const slot = path.join(cache.dir, 'cmmi', cacheKey(server.at(ROUTE)));
    const good = config(server, cache.dir, server.sha(ROUTE));
    const a = new Deployment(good);
    const b = new Deployment(config(server, cache.dir, WRONG));
    try {
      const first = await a.runAsync();
      assert.equal(first.status, 0, first.stderr);
      assert.equal(greet(a), 'hello');
      const record = JSON.parse(readFileSync(`${slot}.verified.json`, 'utf8'));
      assert.equal(record.sha256, server.sha(ROUTE), 'the cache records the digest it verified');
      assert.equal(record.size, HELLO.length);

      const wrong = await b.runAsync();
      assert.equal(wrong.status, 2, wrong.stderr);
      assert.match(
        wrong.stderr,
        new RegExp(
          `error\\[CHECKSUM_MISMATCH\\]: the download of ${server.at(ROUTE)} does not match its sha256 checksum`,
        ),
      );
      assert.match(wrong.stderr, new RegExp(`expected: ${WRONG} \\(sha256\\)`));
      assert.match(wrong.stderr, new RegExp(`received: ${server.sha(ROUTE)}`));
      assert.match(wrong.stderr, /--> buildout\.cfg:7:10 {2}\[hello\] sha256\n/, 'located at the sha256 option');
      assert.match(
        wrong.stderr,
        /kept in the download cache: .*-hello-1\.0\.tar\.gz \(sha256 [0-9a-f]{64}, verified \d{4}-/,
      );
      assert.match(
        wrong.stderr,
        /hint: the file at this URL is the one the download cache verified before, so the pin is the likely mistake/,
      );
      assert.equal(readFileSync(slot).compare(HELLO), 0, 'the verified file is still in its slot');
      assert.equal(quarantined(cache.dir).length, 1, 'the mismatching fresh download was moved aside, not used');

      const offlineWrong = await b.runAsync('-o');
      assert.equal(offlineWrong.status, 2);
      assert.match(offlineWrong.stderr, /the cached copy of .* does not match its sha256 checksum/);
      assert.match(
        offlineWrong.stderr,
        /hint: the download cache holds only other contents of this URL: correct sha256/,
      );
      assert.ok(existsSync(slot), 'an offline mismatch leaves the cache alone too');

      const hits = server.hits.get(ROUTE);
      rmSync(a.path('parts/hello'), { recursive: true });
      const rebuild = await a.runAsync('-o');
      assert.equal(rebuild.status, 0, `A rebuilds offline from the cache: ${rebuild.stderr}`);
      assert.equal(greet(a), 'hello');
      const fresh = new Deployment(good);
      try {
        const other = await fresh.runAsync('-o');
        assert.equal(other.status, 0, other.stderr);
        assert.equal(greet(fresh), 'hello');
      } finally {
        fresh.cleanup();
      }
      assert.equal(server.hits.get(ROUTE), hits, 'offline means no request');
    } finally {
      await server.close();
      a.cleanup();
      b.cleanup();
      cache.cleanup();
    }
  },
);

test(
  'a cached file whose bytes no longer match its record is quarantined: reported offline, fetched ' + 'again online',
  async () => {
    const server = await serveArchives({ [ROUTE]: HELLO });
    const cache = tempDir();
    const slot = path.join(cache.dir, 'cmmi', cacheKey(server.at(ROUTE)));
    const d = new Deployment(config(server, cache.dir, server.sha(ROUTE)));
    try {
      assert.equal((await d.runAsync()).status, 0);
      const damaged = Buffer.from(HELLO);
      damaged[damaged.length >> 1] ^= 0xff; // one flipped byte, same size
      writeFileSync(slot, damaged);
      rmSync(d.path('parts/hello'), { recursive: true });

      const offline = await d.runAsync('-o');
      assert.equal(offline.status, 2, offline.stderr);
      assert.match(
        offline.stderr,
        /error\[CACHED_FILE_CORRUPT\]: offline mode: the download cache's copy of .*hello-1\.0\.tar\.gz is corrupt, and there is no other/,
      );
      assert.match(
        offline.stderr,
        /moved aside to .*\/\.quarantine\/cmmi\/[0-9a-f]{64}-hello-1\.0\.tar\.gz\.\d{8}T\d{6}Z-\d+: its bytes no longer match the sha256 recorded when it was verified/,
      );
      assert.match(offline.stderr, /--> buildout\.cfg:7:10 {2}\[hello\] sha256\n/);
      const moved = quarantined(cache.dir);
      assert.equal(moved.length, 1);
      assert.equal(
        readFileSync(path.join(cache.dir, '.quarantine', 'cmmi', moved[0])).compare(damaged),
        0,
        'the corrupt file is kept, not deleted',
      );
      const note = JSON.parse(readFileSync(path.join(cache.dir, '.quarantine', 'cmmi', `${moved[0]}.json`), 'utf8'));
      assert.equal(note.url, server.at(ROUTE));
      assert.equal(note.recorded.sha256, server.sha(ROUTE));
      assert.ok(!existsSync(slot) && !existsSync(`${slot}.verified.json`));

      const hits = server.hits.get(ROUTE)!;
      writeFileSync(slot, damaged); // corrupt again, to see the online path find it too
      writeFileSync(
        `${slot}.verified.json`,
        JSON.stringify({
          url: server.at(ROUTE),
          size: HELLO.length,
          sha256: server.sha(ROUTE),
          md5: '',
          verified: '2026-01-01T00:00:00.000Z',
        }),
      );
      const online = await d.runAsync();
      assert.equal(online.status, 0, online.stderr);
      assert.match(online.stderr, /the cached copy of .*hello-1\.0\.tar\.gz is corrupt \(its bytes no longer match/);
      assert.equal(server.hits.get(ROUTE), hits + 1, 'fetched again');
      assert.equal(readFileSync(slot).compare(HELLO), 0);
      assert.equal(greet(d), 'hello');
      assert.equal(quarantined(cache.dir).length, 2);
    } finally {
      await server.close();
      d.cleanup();
      cache.cleanup();
    }
  },
);

test(
  'a file that changed upstream: the new pin downloads it, the old pin still builds offline from the copy ' +
    'kept beside it',
  async () => {
    let body = HELLO;
    const server = await serveArchives(
      {},
      { [ROUTE]: (_req, res) => res.writeHead(200, { 'content-length': body.length }).end(body) },
    );
    const cache = tempDir();
    const slot = path.join(cache.dir, 'cmmi', cacheKey(server.at(ROUTE)));
    const old = new Deployment(config(server, cache.dir, sha256(HELLO)));
    const updated = new Deployment(config(server, cache.dir, sha256(HELLO_UPSTREAM_CHANGED)));
    try {
      assert.equal((await old.runAsync()).status, 0);
      body = HELLO_UPSTREAM_CHANGED;
      const next = await updated.runAsync();
      assert.equal(next.status, 0, next.stderr);
      assert.equal(readFileSync(slot).compare(HELLO_UPSTREAM_CHANGED), 0, 'the slot holds the content verified last');
      assert.equal(
        readFileSync(`${slot}.sha256-${sha256(HELLO)}`).compare(HELLO),
        0,
        'the previous verified content is kept beside it',
      );
      rmSync(old.path('parts/hello'), { recursive: true });
      const rebuild = await old.runAsync('-o');
      assert.equal(rebuild.status, 0, rebuild.stderr);
      assert.equal(greet(old), 'hello');
      rmSync(updated.path('parts/hello'), { recursive: true });
      assert.equal((await updated.runAsync('-o')).status, 0);
      assert.ok(existsSync(updated.path('parts/hello/bin/hello')));
    } finally {
      await server.close();
      old.cleanup();
      updated.cleanup();
      cache.cleanup();
    }
  },
);

test(
  'a file put into the cache by hand is adopted when its pin matches, and kept (not used) when it ' + 'does not',
  async () => {
    const server = await serveArchives({ [ROUTE]: HELLO });
    const cache = tempDir();
    const seedDir = tempDir();
    const slot = path.join(cache.dir, 'cmmi', cacheKey(server.at(ROUTE)));
    const d = new Deployment(config(server, cache.dir, server.sha(ROUTE)));
    try {
      const file = path.join(seedDir.dir, 'hello-1.0.tar.gz');
      writeFileSync(file, HELLO);
      execFileSync(process.execPath, [
        path.join(__dirname, '..', '..', '..', 'scripts', 'seed-download-cache.js'),
        '--cache',
        cache.dir,
        server.at(ROUTE),
        file,
      ]);
      assert.ok(existsSync(slot) && !existsSync(`${slot}.verified.json`));
      const offline = await d.runAsync('-o');
      assert.equal(offline.status, 0, offline.stderr);
      assert.equal(
        JSON.parse(readFileSync(`${slot}.verified.json`, 'utf8')).sha256,
        server.sha(ROUTE),
        'adopted: recorded once the pin matched',
      );

      rmSync(`${slot}.verified.json`);
      copyFileSync(file, slot);
      d.write('buildout.cfg', config(server, cache.dir, WRONG));
      const wrong = await d.runAsync('-o');
      assert.equal(wrong.status, 2);
      assert.match(wrong.stderr, /kept in the download cache: .* never verified\)/);
      assert.equal(readFileSync(slot).compare(HELLO), 0, 'an unverified copy is not destroyed either');
    } finally {
      await server.close();
      d.cleanup();
      cache.cleanup();
      seedDir.cleanup();
    }
  },
);

test('a remote extends refreshed by newest replaces its cached copy instead of keeping every version', async () => {
  let body = '[settings]\nvalue = one\n';
  const server = await serveArchives(
    {},
    { '/base.cfg': (_req, res) => res.writeHead(200, { 'content-length': Buffer.byteLength(body) }).end(body) },
  );
  const cache = tempDir();
  const d = new Deployment(`[buildout]\nextends = ${server.url}/base.cfg\nextends-cache = ${cache.dir}\nparts =\n`);
  try {
    for (const value of ['one', 'two', 'three']) {
      body = `[settings]\nvalue = ${value}\n`;
      const r = await d.runAsync('query', 'settings:value');
      assert.equal(r.status, 0, r.stderr);
      assert.equal(r.stdout.trim(), value);
    }
    const files = readdirSync(cache.dir);
    assert.equal(files.filter((f) => !f.endsWith('.verified.json')).length, 1, `one copy: ${files.join(', ')}`);
    const offline = await d.runAsync('-o', 'query', 'settings:value');
    assert.equal(offline.stdout.trim(), 'three');
  } finally {
    await server.close();
    d.cleanup();
    cache.cleanup();
  }
});
