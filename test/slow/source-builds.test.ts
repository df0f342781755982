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
 *
 * The second test runs the example deployment's deployment-source.cfg on those builds: the same
 * shared-builds directory and memcached override, so its build parts (source-builds.cfg's) have
 * the same build keys and nothing is compiled twice in a run. It is assembled offline (-o) with
 * every port shifted to a free one, started with test/helpers/stack-runner.ts (the example has
 * no process-manager part yet), and the processes answering on nginx's, haproxy's and
 * memcached's ports must be the built binaries (/proc/PID/exe), the page must come back through
 * varnish and haproxy, and everything must stop with nothing left.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, readFileSync, readlinkSync, realpathSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { Deployment } from '../helpers/deployment';
import { exampleDeployment } from '../helpers/example-deployment';
import { request } from '../helpers/http-probe';
import { isListening } from '../helpers/ports';
import { assembleAsync } from '../helpers/run';
import { ROOT, tempDir } from '../helpers/paths';
import { listenersOf } from '../helpers/sockets';
import { StackRunner } from '../helpers/stack-runner';

/* eslint-disable @typescript-eslint/no-require-imports */
const { enableDebSrc, fetchOrig } = require(path.join(ROOT, 'scripts', 'debian-sources.js')) as {
  enableDebSrc(): boolean;
  fetchOrig(dir: string, pkg: string, version: string): string;
};
const { seedDownloadCache } = require(path.join(ROOT, 'scripts', 'seed-download-cache.js')) as {
  seedDownloadCache(args: { cache: string; namespace?: string; url: string; file: string; sha256?: string }): {
    slot: string;
  };
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

// the shared builds live here for both tests; world-traversable, because haproxy and memcached
// run as nobody from inside it
const temp = tempDir('zeta-real-builds-');
const shared = path.join(temp.dir, 'shared');
let orig: Record<string, string> = {};
let built = false; // the first test built all three into `shared`

before(
  () => {
    chmodSync(temp.dir, 0o755);
    if (enableDebSrc()) console.log('deb-src was missing: wrote /etc/apt/sources.list.d/zetaserver-src.sources');
    orig = Object.fromEntries(
      Object.entries(PACKAGES).map(([pkg, version]) => [pkg, fetchOrig(SOURCES, pkg, version)]),
    );
  },
  { timeout: 5 * 60_000 },
);

after(() => temp.cleanup());

test(
  'memcached, haproxy and nginx build from source offline, run, and a second deployment builds nothing',
  { timeout: 15 * 60_000 },
  async (t) => {
    const cache = path.join(temp.dir, 'downloads');
    const one = new Deployment(config(cache, shared));
    const two = new Deployment(config(path.join(temp.dir, 'empty-cache'), shared));
    try {
      for (const pkg of ['haproxy', 'nginx', 'memcached']) {
        const url = one.run('query', `downloads:${pkg}`).stdout.trim();
        const sha256 = one.run('query', `checksums:${pkg}`).stdout.trim();
        if (pkg !== 'memcached')
          assert.match(url, /^https:\/\/(www\.haproxy\.org|nginx\.org)\//, 'the real upstream URL');
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
      for (const feature of ['OPENSSL', 'PCRE2', 'PCRE2_JIT', 'ZLIB'])
        assert.match(haproxy, new RegExp(`\\+${feature}\\b`), feature);
      const nginx = output([one.path('parts/nginx-build/sbin/nginx'), '-V']);
      assert.match(nginx, /nginx version: nginx\/1\.22\.1/);
      assert.match(
        nginx,
        new RegExp(
          `configure arguments: --prefix=${shared}/nginx-1\\.22\\.1-[0-9a-f]{16} --with-http_ssl_module ` +
            `--with-http_v2_module --with-http_stub_status_module --with-threads`,
        ),
      );

      const again = Date.now();
      const second = await assembleAsync(['-o'], { cwd: two.dir, timeoutMs: 5 * 60_000 });
      assert.equal(second.status, 0, second.stderr);
      const seconds = (Date.now() - again) / 1000;
      t.diagnostic(`second deployment (same shared builds, empty download cache): ${seconds.toFixed(1)} s`);
      assert.doesNotMatch(second.stderr, / built /, 'nothing was built');
      assert.equal((second.stderr.match(/reusing the shared build/g) ?? []).length, 3);
      assert.match(
        execFileSync(two.path('parts/haproxy-build/sbin/haproxy'), ['-v'], { encoding: 'utf8' }),
        /HAProxy version 2\.6\.12/,
      );
      assert.ok(seconds < 30, `reusing took ${seconds} s`);
      built = true;
    } finally {
      one.cleanup();
      two.cleanup();
    }
  },
);

/** memcached's own `stats`, over its TCP port (bounded: 5 s). */
function memcachedStats(port: number): Promise<Record<string, string>> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let text = '';
    socket.setTimeout(5000, () => {
      socket.destroy();
      reject(new Error(`memcached on ${port}: no answer to stats within 5 s`));
    });
    socket.once('error', reject);
    socket.on('data', (chunk) => {
      text += chunk;
      if (!text.endsWith('END\r\n')) return;
      socket.end();
      resolve(Object.fromEntries([...text.matchAll(/^STAT (\S+) (.*)\r$/gm)].map((m) => [m[1], m[2]])));
    });
    socket.write('stats\r\n');
  });
}

test(
  'deployment-source.cfg assembles offline on those builds, and the chain runs through the built nginx, ' +
    'haproxy and memcached',
  { timeout: 10 * 60_000 },
  async (t) => {
    assert.ok(built, 'needs the shared builds of the previous test, which did not finish');
    const stack = await exampleDeployment('zeta-source-stack-', 'deployment-source.cfg');
    let runner: StackRunner | undefined;
    try {
      // the same shared builds and the same memcached override as above: the same build keys. The
      // download cache stays empty: a shared build needs no tarball (the previous test seeded its own)
      const overrides = [
        `buildout:shared-builds=${shared}`,
        `downloads:memcached=${MEMCACHED_DEBIAN.url}`,
        `checksums:memcached=${MEMCACHED_DEBIAN.sha256}`,
      ];
      const started = Date.now();
      const assembled = await stack.assemble('-o', ...overrides);
      assert.equal(assembled.status, 0, assembled.stderr);
      t.diagnostic(`deployment-source.cfg assembled offline in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      assert.doesNotMatch(assembled.stderr, / built /, 'nothing compiled again');
      assert.equal((assembled.stderr.match(/reusing the shared build/g) ?? []).length, 3, assembled.stderr);
      // once the binaries exist the service parts resolve the same: a re-run reinstalls nothing
      const plan = await stack.assemble('-o', ...overrides, 'plan');
      assert.equal(plan.status, 0, plan.stderr);
      assert.doesNotMatch(plan.stdout, /^\s*(?:install|reinstall|uninstall)\s/m, plan.stdout);

      const binaries = { memcached: 'bin/memcached', haproxy: 'sbin/haproxy', nginx: 'sbin/nginx' } as const;
      runner = new StackRunner(stack.dir);
      const builtBinary: Record<string, string> = {};
      for (const [name, file] of Object.entries(binaries)) {
        const configured = path.join(stack.dir, 'parts', `${name}-build`, file);
        assert.equal(runner.spec(name).command[0], configured, `${name} runs ${configured}`);
        builtBinary[name] = realpathSync(configured); // the shared build the part links to
        assert.ok(builtBinary[name].startsWith(`${shared}/`), builtBinary[name]);
      }
      for (const name of ['varnish', 'mysql'])
        assert.match(runner.spec(name).command[0], /^\/usr\/s?bin\//, `${name} is Debian's`);

      const report = await runner.startAll();
      t.diagnostic(`started: ${report.map((g) => `${g.names.join('+')} ${g.ms} ms`).join(', ')}`);

      // the page through nginx -> varnish -> haproxy -> an instance, then from varnish's cache
      const HOST = { host: 'localhost' };
      const page = `http://127.0.0.1:${stack.ports.http}/`;
      const answer = await request(page, { headers: HOST });
      assert.equal(answer.status, 200, answer.error ?? answer.body);
      assert.match(answer.body, /Hello from instance[1-4]/);
      assert.match(String(answer.headers['x-haproxy-server']), /^instance[1-4]$/, 'haproxy chose a server');
      assert.equal(answer.headers['x-cluster'], 'zope');
      assert.match(String(answer.headers.via), /varnish/);
      assert.ok(answer.headers['x-varnish'], 'varnish transaction id');
      assert.equal((await request(page, { headers: HOST })).headers['x-cache'], 'HIT');
      const ca = readFileSync(path.join(stack.dir, 'etc', 'nginx.crt'));
      const secure = await request(`https://127.0.0.1:${stack.ports.https}/`, {
        headers: HOST,
        ca,
        servername: 'localhost',
      });
      assert.equal(secure.status, 200, secure.error ?? secure.body);
      assert.match(String(secure.headers.via), /varnish/);
      const cached = await request(`http://127.0.0.1:${stack.ports.http}/memcached`, { headers: HOST });
      assert.equal(cached.status, 200, cached.body);
      assert.match(cached.body, /^memcached=instance[1-4]-\d+ served by instance[1-4]/);

      // every process listening on nginx's, haproxy's and memcached's ports runs the built binary
      const listeners = listenersOf(runner.liveGroups());
      const ports = {
        nginx: [stack.ports.http, stack.ports.https],
        haproxy: [stack.ports.haproxy, stack.ports['haproxy-stats']],
        memcached: [stack.ports.memcached],
      };
      for (const [name, numbers] of Object.entries(ports)) {
        for (const port of numbers) {
          const at = listeners.filter((l) => l.address === `127.0.0.1:${port}`);
          assert.ok(at.length > 0, `something of ${name} listens on ${port}`);
          for (const listener of at)
            assert.equal(
              readlinkSync(`/proc/${listener.pid}/exe`),
              builtBinary[name],
              `${listener.process} (pid ${listener.pid}) on ${port}`,
            );
        }
        assert.equal(
          readlinkSync(`/proc/${runner.running.get(name)!.pid}/exe`),
          builtBinary[name],
          `the ${name} process started`,
        );
      }
      for (const [name, exe] of [
        ['varnish', '/usr/sbin/varnishd'],
        ['mysql', '/usr/sbin/mariadbd'],
      ]) {
        assert.equal(readlinkSync(`/proc/${runner.running.get(name)!.pid}/exe`), exe, `${name} is Debian's`);
      }
      // and memcached says so itself: the daemon answering is the process started, version 1.6.18
      const stats = await memcachedStats(stack.ports.memcached);
      assert.equal(stats.pid, String(runner.running.get('memcached')!.pid));
      assert.equal(stats.version, '1.6.18');

      const stopped = await runner.stopAll();
      for (const [name, result] of Object.entries(stopped)) {
        assert.equal(result.killed, false, `${name} needed SIGKILL`);
        assert.equal(result.code, 0, `${name} exited with ${result.code ?? result.signal}`);
      }
      assert.deepEqual(runner.liveGroups(), [], 'no process left');
      for (const spec of runner.specs) {
        for (const address of spec.listen)
          assert.equal(
            await isListening(address.port, address.host),
            false,
            `${spec.name} still listens on ${address.port}`,
          );
      }
    } finally {
      await runner?.stopAll(); // after a failure: by pid, SIGKILL after each stop timeout
      stack.cleanup();
    }
  },
);
