/**
 * Shared builds (`shared-builds = DIR`): the same build is made once per machine and reused by
 * other parts and other deployments (which then need no download at all); a deployment
 * uninstalling its part keeps the shared build; a half-built directory, a stale lock and a
 * deleted build are handled; a failed build leaves no manifest, so it is never reused.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import * as path from 'node:path';
import { Deployment } from '../helpers/deployment';
import { tempDir } from '../helpers/paths';
import { archiveOf } from '../helpers/tar-writer';
import { serveArchives, type ArchiveServer } from '../helpers/archive-server';
import { helloProject, toolProject } from '../helpers/source-project';

const ARCHIVES = {
  '/hello-1.0.tar.gz': archiveOf(helloProject()),
  '/tool-2.0.tar.gz': archiveOf(toolProject(), 'bzip2'),
};

function stack(server: ArchiveServer, shared: string, cache: string, record: string, extra = ''): string {
  return `[buildout]
parts = hello-build other-hello tool-build
shared-builds = ${shared}
download-cache = ${cache}
[hello-build]
recipe = cmmi
url = ${server.at('/hello-1.0.tar.gz')}
sha256 = ${server.sha('/hello-1.0.tar.gz')}
environment = BUILD_RECORD=${record}
${extra}
[other-hello]
<= hello-build
[tool-build]
recipe = cmmi
url = ${server.at('/tool-2.0.tar.gz')}
sha256 = ${server.sha('/tool-2.0.tar.gz')}
configure-command = none
make-options = TARGET=shared
make-targets = install PREFIX=\${buildout:parts-directory}/tool-build
`;
}

const lines = (file: string): string[] => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []);
const run = (binary: string): string => execFileSync(binary, { encoding: 'utf8' }).trim();

test(
  'a second deployment of the same stack builds nothing and downloads nothing; uninstalling a part keeps ' +
    'the shared build',
  async () => {
    const server = await serveArchives(ARCHIVES);
    const temp = tempDir();
    const shared = path.join(temp.dir, 'shared');
    const record = path.join(temp.dir, 'record.txt');
    const one = new Deployment(stack(server, shared, path.join(temp.dir, 'cache-one'), record));
    const two = new Deployment(stack(server, shared, path.join(temp.dir, 'cache-two'), record));
    try {
      const first = await one.runAsync();
      assert.equal(first.status, 0, first.stderr);
      assert.equal((first.stderr.match(/built .* into the shared /g) ?? []).length, 2, first.stderr);
      assert.match(
        first.stderr,
        /other-hello: reusing the shared build of hello 1\.0: /,
        'a second part with the same build in the same deployment reuses it',
      );
      assert.equal(lines(record).length, 1);
      const link = one.path('parts/hello-build');
      assert.ok(lstatSync(link).isSymbolicLink());
      const hello = readlinkSync(link);
      assert.match(hello, new RegExp(`^${shared}/hello-1\\.0-[0-9a-f]{16}$`));
      assert.equal(readlinkSync(one.path('parts/other-hello')), hello);
      assert.ok(existsSync(`${hello}.json`), 'the manifest marks the build complete');
      assert.equal(run(one.path('parts/hello-build/bin/hello')), 'hello');
      const tool = readlinkSync(one.path('parts/tool-build'));
      assert.ok(
        existsSync(path.join(tool, 'bin', 'hello')),
        'PREFIX=<location> was installed into the shared directory',
      );
      assert.equal(run(one.path('parts/tool-build/bin/hello')), 'built for shared');
      assert.deepEqual(
        readdirSync(shared)
          .sort()
          .filter((n) => !n.endsWith('.json')).length,
        2,
        `no compile or lock directories left: ${readdirSync(shared).join(', ')}`,
      );

      const hits = server.hits.get('/hello-1.0.tar.gz');
      const second = await two.runAsync('-o');
      assert.equal(second.status, 0, second.stderr);
      assert.doesNotMatch(second.stderr, /built /, 'nothing was built');
      assert.equal((second.stderr.match(/reusing the shared build/g) ?? []).length, 3);
      assert.equal(lines(record).length, 1, 'configure did not run again');
      assert.equal(server.hits.get('/hello-1.0.tar.gz'), hits, 'nothing was downloaded (offline, with an empty cache)');
      assert.deepEqual(
        two.state().parts['hello-build'].paths,
        [two.path('parts/hello-build')],
        'the part records only its link',
      );

      one.write(
        'buildout.cfg',
        stack(server, shared, path.join(temp.dir, 'cache-one'), record).replace(/^parts = .*$/m, 'parts ='),
      );
      const removed = await one.runAsync();
      assert.equal(removed.status, 0, removed.stderr);
      assert.ok(!one.exists('parts/hello-build'));
      assert.ok(existsSync(hello) && existsSync(tool), 'the shared builds survive an uninstall');
      assert.equal(run(two.path('parts/hello-build/bin/hello')), 'hello');
    } finally {
      await server.close();
      one.cleanup();
      two.cleanup();
      temp.cleanup();
    }
  },
);

test(
  'a half-built directory is never reused, a stale lock is taken over, a deleted build is rebuilt, a failed ' +
    'build leaves no manifest',
  async () => {
    const server = await serveArchives(ARCHIVES);
    const temp = tempDir();
    const shared = path.join(temp.dir, 'shared');
    const record = path.join(temp.dir, 'record.txt');
    const config = (extra = '') =>
      stack(server, shared, path.join(temp.dir, 'cache'), record, extra).replace(' other-hello tool-build', '');
    const d = new Deployment(config());
    const other = new Deployment(config());
    try {
      assert.equal((await d.runAsync()).status, 0);
      const dir = readlinkSync(d.path('parts/hello-build'));
      // what a run killed in the middle of the build leaves: files, no manifest, its lock
      rmSync(`${dir}.json`);
      writeFileSync(path.join(dir, 'bin', 'hello'), 'half written by a killed run');
      const dead = spawnSync('true').pid!;
      mkdirSync(`${dir}.lock`);
      writeFileSync(
        path.join(`${dir}.lock`, 'owner'),
        JSON.stringify({ pid: dead, host: hostname(), since: new Date().toISOString() }),
      );
      const second = await other.runAsync();
      assert.equal(second.status, 0, second.stderr);
      assert.match(second.stderr, /built hello 1\.0 into the shared /, 'the half-built directory was not reused');
      assert.equal(readlinkSync(other.path('parts/hello-build')), dir);
      assert.equal(run(other.path('parts/hello-build/bin/hello')), 'hello');
      assert.ok(
        !existsSync(`${dir}.lock`) && existsSync(`${dir}.json`),
        'the stale lock was taken over and released; the manifest is back',
      );
      assert.equal(lines(record).length, 2);

      rmSync(dir, { recursive: true });
      const plan = await d.runAsync('plan');
      assert.match(plan.stdout, /update\s+hello-build/);
      const rebuilt = await d.runAsync();
      assert.equal(rebuilt.status, 0, rebuilt.stderr);
      assert.match(rebuilt.stderr, /the shared build .* is gone or incomplete; building it again/);
      assert.equal(lines(record).length, 3);
      assert.equal(run(d.path('parts/hello-build/bin/hello')), 'hello');

      d.write('buildout.cfg', config('make-options = CFLAGS=-DBREAK'));
      const failed = await d.runAsync();
      assert.equal(failed.status, 2);
      assert.match(failed.stderr, /error\[EXEC_FAILED\]: make: make exited with status 2/);
      const broken = /compile directory kept for inspection: (\S+)__compile__ /.exec(failed.stderr)?.[1];
      assert.ok(broken && broken.startsWith(`${shared}/hello-1.0-`) && broken !== dir, failed.stderr);
      assert.ok(
        !existsSync(broken) && !existsSync(`${broken}.json`) && !existsSync(`${broken}.lock`),
        'no half build, no manifest, no lock',
      );
      assert.ok(existsSync(`${broken}__compile__`));
      assert.ok(existsSync(dir) && existsSync(`${dir}.json`), 'the good build is untouched');
    } finally {
      await server.close();
      d.cleanup();
      other.cleanup();
      temp.cleanup();
    }
  },
);

test(
  'two deployments building the same shared build at once: one builds, the other waits for its lock and ' + 'reuses it',
  async () => {
    const server = await serveArchives(ARCHIVES);
    const temp = tempDir();
    const shared = path.join(temp.dir, 'shared');
    const record = path.join(temp.dir, 'record.txt');
    const slow = 'pre-make-hook = sleep 1';
    const config = (cache: string) =>
      stack(server, shared, path.join(temp.dir, cache), record, slow).replace(' other-hello tool-build', '');
    const one = new Deployment(config('cache-one'));
    const two = new Deployment(config('cache-two'));
    try {
      const [a, b] = await Promise.all([one.runAsync(), two.runAsync()]);
      assert.equal(a.status, 0, a.stderr);
      assert.equal(b.status, 0, b.stderr);
      const built = [a, b].filter((r) => /built hello 1\.0 into the shared/.test(r.stderr)).length;
      assert.equal(built, 1, `exactly one built:\n${a.stderr}\n${b.stderr}`);
      assert.match(
        a.stderr + b.stderr,
        /reusing the shared build of hello 1\.0: .* \(another run built it while this one waited\)/,
      );
      assert.equal(lines(record).length, 1, 'configure ran once');
      assert.equal(readlinkSync(one.path('parts/hello-build')), readlinkSync(two.path('parts/hello-build')));
      assert.equal(run(two.path('parts/hello-build/bin/hello')), 'hello');
      assert.equal(run(one.path('parts/hello-build/bin/hello')), 'hello');
    } finally {
      await server.close();
      one.cleanup();
      two.cleanup();
      temp.cleanup();
    }
  },
);
