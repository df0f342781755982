/**
 * extends from http URLs, served by a local HTTP server: relative extends inside a remote file,
 * the extends-cache, offline use of the cache, an offline miss naming the URL, and agreement
 * with zc.buildout 2.13 on the resolved values.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { serve } from '../helpers/http-server';
import { referenceAvailable, tempDir } from '../helpers/paths';
import { assembleAsync, resolveWithReferenceAsync } from '../helpers/run';
import { compareWithReference } from '../helpers/config-cases';

const REMOTE_BASE = `[buildout]
extends = common/ports.cfg
[hosts]
public = remote.example
[ports]
http += 9
`;
const REMOTE_PORTS = `[ports]
http = 8000
https = 8443
`;

test('extends from a URL, cached in extends-cache and usable offline', async () => {
  const server = await serve({ '/conf/base.cfg': REMOTE_BASE, '/conf/common/ports.cfg': REMOTE_PORTS });
  const { dir, cleanup } = tempDir();
  try {
    const root = path.join(dir, 'buildout.cfg');
    writeFileSync(
      root,
      `[buildout]\nparts =\nextends = ${server.url}/conf/base.cfg\nextends-cache = cache\n[site]\nurl = ` +
        `http://\${hosts:public}:\${ports:https}/\n`,
    );
    const online = await assembleAsync(['-c', root, 'annotate', '--json'], { cwd: dir });
    assert.equal(online.status, 0, online.stderr);
    const sections = JSON.parse(online.stdout).sections;
    assert.equal(sections.site.url, 'http://remote.example:8443/');
    assert.equal(sections.ports.http, '8000\n9');
    assert.equal(
      server.hits.get('/conf/common/ports.cfg'),
      1,
      'a relative extends inside a remote file is fetched relative to it',
    );
    assert.equal(
      readdirSync(path.join(dir, 'cache')).filter((f) => !f.endsWith('.verified.json')).length,
      2,
      'both remote files are in the extends-cache',
    );

    if (referenceAvailable()) {
      const [reference] = await resolveWithReferenceAsync([{ file: root }]);
      assert.ok('sections' in reference, JSON.stringify(reference));
      assert.deepEqual(compareWithReference(sections, reference.sections), []);
    }

    await server.close();
    const offline = await assembleAsync(['-o', '-c', root, 'annotate', '--json'], { cwd: dir });
    assert.equal(offline.status, 0, offline.stderr);
    assert.equal(JSON.parse(offline.stdout).sections.site.url, 'http://remote.example:8443/');

    const newest = await assembleAsync(['-c', root, 'annotate', '--json'], { cwd: dir, timeoutMs: 60_000 });
    assert.equal(newest.status, 0, `with the server gone, newest mode falls back to the cache: ${newest.stderr}`);

    writeFileSync(root, `[buildout]\nparts =\nextends = ${server.url}/conf/other.cfg\nextends-cache = cache\n`);
    const miss = await assembleAsync(['-o', '-c', root, 'annotate'], { cwd: dir });
    assert.equal(miss.status, 2);
    assert.match(
      miss.stderr,
      /error\[OFFLINE_MISS\]: offline mode: http:\/\/127\.0\.0\.1:\d+\/conf\/other\.cfg is not in the download cache/,
    );
    assert.match(miss.stderr, /buildout\.cfg:3:/, 'the error points at the extends line');
  } finally {
    await server.close().catch(() => undefined);
    cleanup();
  }
});

test('a 404 for a remote extends is a clear error naming the URL and the extends line', async () => {
  const server = await serve({});
  const { dir, cleanup } = tempDir();
  try {
    const root = path.join(dir, 'buildout.cfg');
    writeFileSync(root, `[buildout]\nparts =\nextends =\n    ${server.url}/missing.cfg\n`);
    const result = await assembleAsync(['-c', root, 'annotate'], { cwd: dir });
    assert.equal(result.status, 2);
    assert.match(
      result.stderr,
      /error\[DOWNLOAD_FAILED\]: cannot download http:\/\/127\.0\.0\.1:\d+\/missing\.cfg: HTTP 404/,
    );
    assert.match(result.stderr, /buildout\.cfg:4:5/);
  } finally {
    await server.close();
    cleanup();
  }
});

test('a remote extends that is not UTF-8 is CONFIG_NOT_UTF8 at its URL, line and byte offset', async () => {
  const server = await serve({
    '/latin1.cfg': Buffer.concat([Buffer.from('[site]\ntitle = caf'), Buffer.from([0xe9]), Buffer.from('\n')]),
  });
  const { dir, cleanup } = tempDir();
  try {
    const root = path.join(dir, 'buildout.cfg');
    writeFileSync(root, `[buildout]\nparts =\nextends = ${server.url}/latin1.cfg\n`);
    const result = await assembleAsync(['-c', root, 'annotate'], { cwd: dir });
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stderr,
      /error\[CONFIG_NOT_UTF8\]: configuration file http:\/\/127\.0\.0\.1:\d+\/latin1\.cfg is not valid UTF-8: byte 0xe9 at byte offset 18 \(line 2, column 12\)/,
    );
  } finally {
    await server.close();
    cleanup();
  }
});
