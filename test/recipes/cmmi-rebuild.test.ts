/**
 * A rebuild never costs the working build: the tiny C project is built, then its config changes
 * so that the rebuild fails (make, configure), and the old binary still runs with the prefix it
 * was built for, the state still records the old part, and the part that uses it is untouched;
 * the next run tries again, and a fixed config rebuilds and swaps. Also: a run killed during a
 * rebuild, and a swap a killed run left half-done, keep the old build; a Makefile that ignores
 * DESTDIR is named in a warning.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { Deployment } from '../helpers/deployment';
import { ASSEMBLE } from '../helpers/paths';
import { exitOf, waitFor, within } from '../helpers/wait';
import { archiveOf } from '../helpers/tar-writer';
import { serveArchives, type ArchiveServer } from '../helpers/archive-server';
import { helloProject } from '../helpers/source-project';

const HELLO = archiveOf(helloProject());

function config(server: ArchiveServer, extra = ''): string {
  return `[buildout]
parts = hello hello-path
[hello]
recipe = cmmi
url = ${server.at('/hello-1.0.tar.gz')}
sha256 = ${server.sha('/hello-1.0.tar.gz')}
${extra}
[hello-path]
recipe = template
inline = \${hello:location}/bin/hello
output = \${buildout:directory}/etc/hello-path
`;
}

function run(d: Deployment, ...args: string[]): string {
  return execFileSync(d.read('etc/hello-path').trim(), args, { encoding: 'utf8' }).trim();
}

function leftovers(d: Deployment): string[] {
  return readdirSync(d.path('parts')).filter((name) => /__(staging|previous|link)__$/.test(name));
}

test(
  'a failed rebuild leaves the working build, its record and its dependents; the next run tries again; a ' +
    'good one swaps',
  async () => {
    const server = await serveArchives({ '/hello-1.0.tar.gz': HELLO });
    const d = new Deployment(config(server));
    try {
      const first = await d.runAsync();
      assert.equal(first.status, 0, first.stderr);
      assert.equal(run(d), 'hello');
      assert.equal(run(d, '--prefix'), d.path('parts/hello'), 'configure got the final prefix, not a staging one');
      const pathFile = statSync(d.path('etc/hello-path')).mtimeMs;
      const recorded = d.state().parts;

      for (const broken of ['make-options = CFLAGS=-DBREAK', 'configure-options = --enable-failure']) {
        d.write('buildout.cfg', config(server, broken));
        const failed = await d.runAsync();
        assert.equal(failed.status, 2, failed.stderr);
        assert.match(failed.stderr, /error\[EXEC_FAILED\]/);
        assert.match(
          failed.stderr,
          /the installed \[hello\] is kept as it was and still recorded, so the parts using it keep working; the next run tries this reinstall again/,
        );
        assert.equal(run(d), 'hello', `the old binary still runs after: ${broken}`);
        assert.equal(run(d, '--prefix'), d.path('parts/hello'));
        assert.deepEqual(d.state().parts.hello, recorded.hello, 'the state still records the old part');
        assert.deepEqual(d.state().parts['hello-path'], recorded['hello-path'], 'the dependent part is untouched');
        assert.equal(statSync(d.path('etc/hello-path')).mtimeMs, pathFile);
        assert.deepEqual(leftovers(d), [], 'no staging directory left');
        assert.ok(d.exists('parts/hello__compile__'), 'the failed build is kept for inspection');
        const plan = await d.runAsync('plan');
        assert.match(plan.stdout, /reinstall\s+hello/, 'the next run tries the rebuild again');
      }

      d.write('buildout.cfg', config(server, 'configure-options = --with-greeting=fixed'));
      const fixed = await d.runAsync();
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.equal(run(d), 'fixed', 'the new build is in place');
      assert.equal(run(d, '--prefix'), d.path('parts/hello'));
      assert.equal(d.state().parts.hello.options['configure-options'], '--with-greeting=fixed');
      assert.deepEqual(d.state().parts.hello.paths, [d.path('parts/hello')]);
      assert.deepEqual(leftovers(d), []);
      assert.ok(!d.exists('parts/hello__compile__'));
      const parentsOf = (parts: object) => (parts as Record<string, { parents: string[] }>).hello.parents;
      assert.deepEqual(parentsOf(d.state().parts), parentsOf(recorded), 'the directories made for the part stay its');
      d.write('buildout.cfg', '[buildout]\nparts =\n');
      assert.equal((await d.runAsync()).status, 0);
      assert.ok(!d.exists('parts'), 'uninstalling removes the build and the parts directory made for it');
    } finally {
      await server.close();
      d.cleanup();
    }
  },
);

test(
  'killed during a rebuild, or between the two renames of a swap: the old build is kept and the next run ' + 'rebuilds',
  async () => {
    const server = await serveArchives({ '/hello-1.0.tar.gz': HELLO });
    const d = new Deployment(config(server));
    let hookPid: number | undefined;
    try {
      assert.equal((await d.runAsync()).status, 0);
      const slow =
        `configure-options = --with-greeting=second\npre-make-hook = sh -c 'echo $$ > ` +
        `${d.path('hook.pid')}; exec sleep 60'`;
      d.write('buildout.cfg', config(server, slow));
      // a process killed by SIGKILL cannot remove its temporary download directory: keep it in the tree
      mkdirSync(d.path('tmp'));
      const child = spawn(ASSEMBLE, [], {
        cwd: d.dir,
        stdio: 'ignore',
        env: { ...process.env, TMPDIR: d.path('tmp') },
      });
      try {
        const hookStarted = (): boolean =>
          existsSync(d.path('hook.pid')) && readFileSync(d.path('hook.pid'), 'utf8').trim() !== '';
        await waitFor(hookStarted, { what: 'the pre-make hook to write its pid', timeoutMs: 20_000 });
        hookPid = Number(readFileSync(d.path('hook.pid'), 'utf8').trim());
      } finally {
        child.kill('SIGKILL');
        await within(exitOf(child), { what: 'bin/assemble to die of SIGKILL', timeoutMs: 10_000 });
        if (hookPid) process.kill(hookPid, 'SIGKILL');
      }
      assert.equal(JSON.parse(readFileSync(d.path('.installed.json.journal'), 'utf8')).mode, 'replace');
      assert.equal(run(d), 'hello', 'the killed rebuild did not touch the working build');

      d.write('buildout.cfg', config(server, 'configure-options = --with-greeting=second'));
      // as if a run had been killed between moving the old build aside and moving the new one in
      renameSync(d.path('parts/hello'), d.path('parts/hello__previous__'));
      const resumed = await d.runAsync();
      assert.equal(resumed.status, 0, resumed.stderr);
      assert.equal(run(d), 'second');
      assert.deepEqual(leftovers(d), []);
      assert.ok(!d.exists('.installed.json.journal'));

      renameSync(d.path('parts/hello'), d.path('parts/hello__previous__'));
      d.write('buildout.cfg', config(server, 'make-options = CFLAGS=-DBREAK'));
      const failed = await d.runAsync();
      assert.equal(failed.status, 2);
      assert.equal(
        run(d),
        'second',
        'the build moved aside by a killed swap is put back, and a failed rebuild keeps it',
      );
    } finally {
      if (hookPid)
        try {
          process.kill(hookPid, 'SIGKILL');
        } catch {
          /* gone */
        }
      await server.close();
      d.cleanup();
    }
  },
);

test(
  'a Makefile that ignores DESTDIR installs in place, and the warning says a failed rebuild could not keep ' +
    'the old build',
  async () => {
    const server = await serveArchives({ '/hello-1.0.tar.gz': HELLO });
    const d = new Deployment(config(server, 'configure-options = --disable-destdir'));
    try {
      const r = await d.runAsync();
      assert.equal(r.status, 0, r.stderr);
      assert.equal(run(d), 'hello');
      assert.doesNotMatch(r.stderr, /did not use DESTDIR/, 'a first install has nothing to keep');
      d.write('buildout.cfg', config(server, 'configure-options = --disable-destdir --with-greeting=again'));
      const again = await d.runAsync();
      assert.equal(again.status, 0, again.stderr);
      assert.match(
        again.stderr,
        /make install did not use DESTDIR=.*parts\/hello__staging__ and installed into .*parts\/hello directly, over the previous build: a failed rebuild of this part cannot keep the previous build working/,
      );
      assert.equal(run(d), 'again');
    } finally {
      await server.close();
      d.cleanup();
    }
  },
);

test('what a staged make install writes outside the location reaches its real place after the swap', async () => {
  const server = await serveArchives({ '/hello-1.0.tar.gz': HELLO });
  const d = new Deployment(config(server, 'configure-options = --with-conf=${buildout:directory}/etc/hello.conf'));
  try {
    const r = await d.runAsync('-v');
    assert.equal(r.status, 0, r.stderr);
    assert.equal(d.read('etc/hello.conf'), 'a test project\n');
    assert.match(r.stderr, /make install also wrote, outside .*parts\/hello: .*etc\/hello\.conf/);
    assert.deepEqual(d.state().parts.hello.paths, [d.path('parts/hello')], 'not recorded, as a direct install was not');
    assert.deepEqual(leftovers(d), []);
  } finally {
    await server.close();
    d.cleanup();
  }
});
