/**
 * The varnish recipe's compiled-VCL cache (recipes/varnish/vcl-cache.ts): the wrapper script on its
 * own (with a stand-in compiler that counts its runs), then a varnish part assembled with the real
 * varnishd, which fills the cache through the same wrapper; a compiler that cannot run is an
 * error at assembly. That a real start then loads the object from the cache is checked in
 * test/stack/stack-e2e.test.ts.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { wrapperScript, type VclCache } from '../../recipes/varnish/vcl-cache';
import { tempDir } from '../helpers/paths';
import { withDeployment } from '../helpers/deployment';
import { freePorts } from '../helpers/ports';

/** A cache in a temporary directory, and a stand-in compiler: appends to `runs`, copies SRC to OUT. */
function wrapperFixture(): {
  dir: string;
  cache: string;
  run: (source: string, ...command: string[]) => { status: number | null; out: string };
  runs: () => number;
  cleanup: () => void;
} {
  const temp = tempDir('zeta-vcl-cc-');
  const cache: VclCache = {
    wrapper: path.join(temp.dir, 'vcl-cc'),
    directory: path.join(temp.dir, 'cache'),
    ccCommand: '',
  };
  mkdirSync(cache.directory);
  writeFileSync(cache.wrapper, wrapperScript('varnish', cache), { mode: 0o755 });
  writeFileSync(
    path.join(temp.dir, 'fake-cc'),
    `#!/bin/sh\necho run >> ${temp.dir}/runs\n[ "$1" = fail ] && exit 3\ncp "$3" "$2"\n`,
    { mode: 0o755 },
  );
  let n = 0;
  return {
    dir: temp.dir,
    cache: cache.directory,
    run: (source, ...command) => {
      const src = path.join(temp.dir, `vgc-${n}.c`);
      const out = path.join(temp.dir, `vgc-${n++}.so`);
      writeFileSync(src, source);
      const args = command.length ? command : ['exec', path.join(temp.dir, 'fake-cc'), '-o', out, src];
      const result = spawnSync(cache.wrapper, [out, src, ...args], { encoding: 'utf8', cwd: temp.dir });
      return { status: result.status, out: existsSync(out) ? readFileSync(out, 'utf8') : '' };
    },
    runs: () =>
      existsSync(path.join(temp.dir, 'runs'))
        ? readFileSync(path.join(temp.dir, 'runs'), 'utf8').split('\n').filter(Boolean).length
        : 0,
    cleanup: temp.cleanup,
  };
}

test(
  'the wrapper compiles a new VCL once and copies it from the cache afterwards; another command or source ' +
    'compiles again',
  () => {
    const f = wrapperFixture();
    try {
      assert.deepEqual(f.run('int vcl_a;'), { status: 0, out: 'int vcl_a;' });
      assert.equal(f.runs(), 1);
      assert.equal(readdirSync(f.cache).length, 1);
      assert.deepEqual(f.run('int vcl_a;'), { status: 0, out: 'int vcl_a;' });
      assert.equal(f.runs(), 1, 'a hit does not run the compiler');
      f.run('int vcl_b;');
      assert.equal(f.runs(), 2, 'another source compiles');
      // the same source with another command (another optimisation level, say) is another object
      const src = path.join(f.dir, 'same.c');
      writeFileSync(src, 'int vcl_a;');
      const out = path.join(f.dir, 'o.so');
      const other = spawnSync(
        path.join(f.dir, 'vcl-cc'),
        [out, src, 'exec', path.join(f.dir, 'fake-cc'), '-O2', out, src],
        { encoding: 'utf8' },
      );
      assert.equal(other.status, 0, other.stderr);
      assert.equal(f.runs(), 3, 'another command compiles');
      assert.equal(readdirSync(f.cache).filter((e) => e.endsWith('.so')).length, 3);
    } finally {
      f.cleanup();
    }
  },
);

test('a failing compiler fails the wrapper and caches nothing; an unwritable cache only means compiling', () => {
  const f = wrapperFixture();
  try {
    const failed = f.run('int broken;', 'exec', path.join(f.dir, 'fake-cc'), 'fail', 'x');
    assert.equal(failed.status, 3, "the compiler's status, for varnish to report");
    assert.deepEqual(readdirSync(f.cache), []);
    if (process.getuid?.() !== 0) chmodSync(f.cache, 0o500);
    else spawnSync('rm', ['-rf', f.cache]); // root writes anywhere: take the directory away instead
    for (let i = 0; i < 2; i++) assert.deepEqual(f.run('int vcl_c;'), { status: 0, out: 'int vcl_c;' });
    assert.equal(f.runs(), 3, 'compiled each time');
  } finally {
    f.cleanup();
  }
});

test('the wrapper keeps the 8 most recent objects', () => {
  const f = wrapperFixture();
  try {
    const base = Date.now() / 1000 - 100;
    for (let i = 0; i < 11; i++) {
      const before = new Set(readdirSync(f.cache));
      f.run(`int vcl_${i};`);
      // ls -t orders by modification time: each object a second newer than the last, whatever
      // the file system's clock grain
      const added = readdirSync(f.cache).filter((e) => !before.has(e));
      assert.equal(added.length, 1);
      utimesSync(path.join(f.cache, added[0]), base + i, base + i);
    }
    assert.equal(readdirSync(f.cache).length, 8);
    assert.equal(f.runs(), 11);
    f.run('int vcl_10;');
    assert.equal(f.runs(), 11, 'the newest is still there');
    f.run('int vcl_0;');
    assert.equal(f.runs(), 12, 'the oldest was pruned');
  } finally {
    f.cleanup();
  }
});

async function varnishPart(extra: string): Promise<string> {
  const [bind, backend] = await freePorts(2);
  return `[buildout]
parts = varnish
[varnish]
recipe = varnish
bind = 127.0.0.1:${bind}
backend = 127.0.0.1:${backend}
check-upstream = false
socket = off
${extra}
`;
}

interface State {
  parts: Record<string, { options: Record<string, string>; programs: Array<{ command: string[] }> }>;
}

test(
  "assembly fills the cache through the wrapper, with varnish's own compile command (%D) when none " + 'is given',
  async () =>
    withDeployment(await varnishPart(''), (d) => {
      const result = d.run('-q');
      assert.equal(result.status, 0, result.stderr);
      const state = JSON.parse(d.read('.installed.json')) as State;
      const varnish = state.parts.varnish;
      const cache = varnish.options['vcl-cache-directory'];
      assert.equal(cache, d.path('var', 'varnish', 'vcl-cache'));
      const objects = readdirSync(cache);
      assert.equal(objects.length, 1);
      assert.match(objects[0], /^[0-9a-f]{64}\.so$/);
      // a real shared object, made by the C compiler from varnish's C
      assert.equal(readFileSync(path.join(cache, objects[0])).subarray(0, 4).toString('latin1'), '\x7fELF');
      assert.equal(statSync(cache).mode & 0o777, 0o700);
      const command = varnish.programs[0].command;
      assert.ok(
        command.includes(`cc_command=exec '${d.path('parts', 'varnish', 'vcl-cc')}' %o %s %D`),
        command.join(' '),
      );
      // a second run with nothing changed compiles nothing (the install does not run again)
      const again = d.run('-q');
      assert.equal(again.status, 0, again.stderr);
      assert.deepEqual(readdirSync(cache), objects);
    }),
);

test(
  'cc-command is wrapped as given; vcl-cache = off leaves it alone; shell operators turn the cache off with ' +
    'a warning',
  async () => {
    await withDeployment(await varnishPart('cc-command = exec cc -O0 -pthread -fpic -shared -Wl,-x -o %o %s'), (d) => {
      const result = d.run('-q');
      assert.equal(result.status, 0, result.stderr);
      const command = (JSON.parse(d.read('.installed.json')) as State).parts.varnish.programs[0].command;
      assert.ok(
        command.includes(
          `cc_command=exec '${d.path('parts', 'varnish', 'vcl-cc')}' %o %s exec cc -O0 -pthread -fpic -shared ` +
            `-Wl,-x -o %o %s`,
        ),
        command.join(' '),
      );
      assert.equal(readdirSync(d.path('var', 'varnish', 'vcl-cache')).length, 1);
    });
    await withDeployment(
      await varnishPart('cc-command = exec cc -O0 -pthread -fpic -shared -Wl,-x -o %o %s\nvcl-cache = off'),
      (d) => {
        const result = d.run('-q');
        assert.equal(result.status, 0, result.stderr);
        const command = (JSON.parse(d.read('.installed.json')) as State).parts.varnish.programs[0].command;
        assert.ok(command.includes('cc_command=exec cc -O0 -pthread -fpic -shared -Wl,-x -o %o %s'), command.join(' '));
        assert.equal(d.exists('parts/varnish/vcl-cc'), false);
        assert.equal(d.exists('var/varnish/vcl-cache'), false);
      },
    );
    await withDeployment(
      await varnishPart('cc-command = exec cc -O0 -pthread -fpic -shared -Wl,-x -o %o %s && strip %o'),
      (d) => {
        const result = d.run('plan');
        assert.equal(result.status, 0, result.stderr);
        assert.match(result.stderr, /\[varnish\] the compiled-VCL cache is off: cc-command .* uses shell operators/);
      },
    );
  },
);

test(
  'a C compiler that cannot run is an error at assembly naming cc-command, with a hint, and ' + 'nothing is left',
  async () =>
    withDeployment(await varnishPart('cc-command = exec no-such-cc -o %o %s'), (d) => {
      const result = d.run();
      assert.equal(result.status, 2, result.stderr);
      assert.match(
        result.stderr,
        /varnishd could not compile the VCL of \[varnish\] to a loadable object:\n\s*Message from C-compiler:\n.*no-such-cc: not found\n\s*Running C-compiler failed, exited with 127\n\s*VCL compilation failed\n\s*-->/,
      );
      assert.match(result.stderr, /--> .*\[varnish\] cc-command/);
      assert.match(result.stderr, /apt-get install gcc/);
      assert.doesNotMatch(result.stderr, /at .*\.js:\d+/, 'no stack trace');
      assert.equal(d.exists('etc/varnish.vcl'), false, 'rolled back');
      assert.equal(d.exists('parts/varnish/vcl-cc'), false, 'rolled back');
      assert.equal(d.exists('.installed.json'), false);
    }),
);

test('a runtime parameter varnishd refuses is an error at assembly naming tuning and the parameter', async () =>
  withDeployment(await varnishPart('tuning = thread_pool_min=abc'), (d) => {
    const result = d.run();
    assert.equal(result.status, 2, result.stderr);
    assert.match(
      result.stderr,
      /varnishd refuses the runtime parameter thread_pool_min of \[varnish\]:\n\s*Not a number \(abc\)/,
    );
    assert.match(result.stderr, /--> .*\[varnish\] tuning/);
    assert.equal(d.exists('etc/varnish.vcl'), false, 'rolled back');
  }));
