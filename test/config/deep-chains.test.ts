/**
 * Chains thousands deep (generated configurations make them): substitutions, `<=` macros,
 * extends and parts resolve without depending on the JavaScript stack, and their cycles are
 * clean errors (exit 2) that print the path. zc.buildout itself stops at Python's recursion
 * limit (a substitution chain of about 200); where it can resolve a chain, it agrees with us.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ASSEMBLE, referenceAvailable, tempDir } from '../helpers/paths';
import { assemble, resolveWithReference } from '../helpers/run';
import { compareWithReference } from '../helpers/config-cases';

function write(dir: string, name: string, lines: string[]): string {
  const file = path.join(dir, name);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/** [s1] x = ${s2:x}, ... [sN] x = end (or, closed, sN refers back to s1). */
function substitutionChain(depth: number, closed = false): string[] {
  const lines = ['[buildout]', 'parts ='];
  for (let i = 1; i < depth; i++) lines.push(`[s${i}]`, `x = \${s${i + 1}:x}/${i}`);
  lines.push(`[s${depth}]`, closed ? 'x = ${s1:x}' : 'x = end');
  return lines;
}

function expectedChainValue(depth: number): string {
  const parts = ['end'];
  for (let i = depth - 1; i >= 1; i--) parts.push(String(i));
  return parts.join('/');
}

function json(args: string[], cwd: string, sections: string[] = []): Record<string, Record<string, string>> {
  const r = assemble([...args, 'annotate', '--json', ...sections], { cwd, timeoutMs: 120_000 });
  assert.equal(r.status, 0, r.stderr);
  return JSON.parse(r.stdout).sections;
}

function cleanError(args: string[], cwd: string, code: string, sections: string[] = []): string {
  const r = assemble([...args, 'annotate', ...sections], { cwd, timeoutMs: 120_000 });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, new RegExp(`error\\[${code}\\]`));
  assert.doesNotMatch(r.stderr, /internal error|stack size/);
  return r.stderr;
}

test(
  'a chain of 20,000 substitutions across sections resolves, and so does one of 20,000 options in ' + 'one section',
  () => {
    const temp = tempDir();
    try {
      write(temp.dir, 'chain.cfg', substitutionChain(20_000));
      assert.equal(json(['-c', 'chain.cfg'], temp.dir, ['s1']).s1.x, expectedChainValue(20_000));
      const lines = ['[buildout]', 'parts =', '[a]'];
      for (let i = 1; i < 20_000; i++) lines.push(`o${i} = \${:o${i + 1}}`);
      lines.push('o20000 = end');
      write(temp.dir, 'section.cfg', lines);
      const a = json(['-c', 'section.cfg'], temp.dir, ['a']).a;
      assert.equal(a.o1, 'end');
      assert.equal(Object.keys(a).length, 20_000);
    } finally {
      temp.cleanup();
    }
  },
);

test('a circular chain of 20,000 substitutions is CIRCULAR_REFERENCE, its path shown by both ends', () => {
  const temp = tempDir();
  try {
    write(temp.dir, 'cycle.cfg', substitutionChain(20_000, true));
    const stderr = cleanError(['-c', 'cycle.cfg'], temp.dir, 'CIRCULAR_REFERENCE', ['s1']);
    assert.match(
      stderr,
      /circular reference in substitutions: s20000:x -> s1:x -> s2:x .* -> \.\.\. 19981 more \.\.\. -> .* -> s19999:x -> s20000:x/,
    );
    assert.match(stderr, /cycle\.cfg:40000:5 {2}\[s19999\] x/);
  } finally {
    temp.cleanup();
  }
});

test(
  'a chain of 150 substitutions, which zc.buildout can still follow, resolves as it resolves it',
  { skip: !referenceAvailable() && 'python3-zc.buildout is not installed' },
  () => {
    const temp = tempDir();
    try {
      const file = write(temp.dir, 'buildout.cfg', substitutionChain(150));
      const [reference] = resolveWithReference([{ file }]);
      assert.ok('sections' in reference, JSON.stringify(reference));
      assert.deepEqual(compareWithReference(json(['-c', file], temp.dir), reference.sections), []);
    } finally {
      temp.cleanup();
    }
  },
);

test(
  'macro chains 20,000 deep resolve: each section overriding one option, each adding one; a loop of 20,000 ' +
    'is MACRO_LOOP',
  () => {
    const temp = tempDir();
    try {
      const flat = ['[buildout]', 'parts =', '[m1]', 'x = 1', 'y = ${:x}'];
      const growing = ['[buildout]', 'parts =', '[m1]', 'x = 1'];
      const loop = ['[buildout]', 'parts ='];
      for (let i = 2; i <= 20_000; i++) {
        flat.push(`[m${i}]`, `<= m${i - 1}`, `x = ${i}`);
        growing.push(`[m${i}]`, `<= m${i - 1}`, `y${i} = ${i}`);
      }
      for (let i = 1; i <= 20_000; i++) loop.push(`[c${i}]`, `<= c${(i % 20_000) + 1}`);
      write(temp.dir, 'flat.cfg', flat);
      write(temp.dir, 'growing.cfg', growing);
      write(temp.dir, 'loop.cfg', loop);
      const all = json(['-c', 'flat.cfg'], temp.dir); // every section: each expanded once
      assert.deepEqual(all.m20000, { x: '20000', y: '20000' });
      assert.deepEqual(all.m2, { x: '2', y: '2' });
      const last = json(['-c', 'growing.cfg'], temp.dir, ['m20000']).m20000;
      assert.equal(Object.keys(last).length, 20_000);
      assert.equal(last.y19999, '19999');
      const stderr = cleanError(['-c', 'loop.cfg'], temp.dir, 'MACRO_LOOP', ['c1']);
      assert.match(
        stderr,
        /infinite macro loop: \[c1\] <= \[c2\] .* \.\.\. 19981 more \.\.\. .* <= \[c20000\] <= \[c1\]/,
      );
    } finally {
      temp.cleanup();
    }
  },
);

test('an extends chain of 2,000 files resolves; a circle of 2,000 files is EXTENDS_CYCLE', () => {
  const temp = tempDir();
  try {
    for (const kind of ['chain', 'circle']) {
      mkdirSync(path.join(temp.dir, kind));
      for (let i = 1; i <= 2000; i++) {
        const next = i < 2000 ? `f${i + 1}.cfg` : kind === 'circle' ? 'f1.cfg' : '';
        write(path.join(temp.dir, kind), `f${i}.cfg`, [
          '[buildout]',
          `extends = ${next}`,
          'parts =',
          `[s${i}]`,
          `x = ${i}`,
          '[all]',
          `x = ${i}`,
        ]);
      }
    }
    const sections = json(['-c', 'chain/f1.cfg'], temp.dir);
    assert.equal(sections.all.x, '1', 'the extending file wins');
    assert.equal(sections.s2000.x, '2000');
    const stderr = cleanError(['-c', 'circle/f1.cfg'], temp.dir, 'EXTENDS_CYCLE');
    assert.match(
      stderr,
      /recursive extends: f1\.cfg -> f2\.cfg .* \.\.\. 1981 more \.\.\. .* -> f2000\.cfg -> f1\.cfg/,
    );
  } finally {
    temp.cleanup();
  }
});

test("a chain of 20,000 parts, each reading the next one's derived option, is planned in dependency order", () => {
  const temp = tempDir();
  try {
    const lines = ['[buildout]', 'parts = p1'];
    for (let i = 1; i <= 20_000; i++) {
      lines.push(
        `[p${i}]`,
        'recipe = template',
        i < 20_000 ? `inline = \${p${i + 1}:output}` : 'inline = end',
        `output = \${buildout:directory}/out/p${i}`,
      );
    }
    write(temp.dir, 'buildout.cfg', lines);
    // the plan of 20,000 parts is larger than spawnSync's default buffer
    const r = spawnSync(ASSEMBLE, ['plan'], {
      cwd: temp.dir,
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 << 20,
      env: { ...process.env, NO_COLOR: '1' },
    });
    assert.equal(r.status, 0, r.stderr);
    const order = [...r.stdout.matchAll(/install\s+(p\d+)/g)].map((m) => m[1]);
    assert.equal(order.length, 20_000);
    assert.deepEqual([order[0], order[1], order[19_999]], ['p20000', 'p19999', 'p1']);
  } finally {
    temp.cleanup();
  }
});
