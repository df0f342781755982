/**
 * The differential suite: each configuration fixture is resolved by `bin/assemble annotate --json`
 * and by zc.buildout 2.13 (Debian's python3-zc.buildout) and the two must agree on every section
 * and option, [buildout]'s Python-packaging defaults aside. Where a case records a deliberate
 * difference (`reference` in case.json), the difference itself is checked.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { configCases, compareWithReference } from '../helpers/config-cases';
import { writeFileSync } from 'node:fs';
import { copyFixture, referenceAvailable, tempDir } from '../helpers/paths';
import { assemble, resolveWithReference } from '../helpers/run';

test(
  'configuration fixtures resolve exactly as zc.buildout 2.13 resolves them',
  { skip: !referenceAvailable() && 'python3-zc.buildout is not installed' },
  () => {
    const cases = configCases().filter((c) => c.reference !== 'runs-code');
    const copies = cases.map((c) => copyFixture(c.dir));
    try {
      const jobs = cases.map((c, i) => ({ file: path.join(copies[i].dir, 'buildout.cfg'), args: c.args }));
      const references = resolveWithReference(jobs);
      const failures: string[] = [];
      cases.forEach((c, i) => {
        const ours = assemble(['-c', jobs[i].file, ...c.args, 'annotate', '--json'], { cwd: copies[i].dir });
        const reference = references[i];
        const label = `${c.name}:`;
        if (c.reference === 'rejects') {
          if (!('error' in reference)) failures.push(`${label} zc.buildout was expected to reject this case`);
          if (ours.status !== 0) failures.push(`${label} we should accept it: ${ours.stderr}`);
          return;
        }
        if (c.error || c.reference === 'errors') {
          if (!('error' in reference)) failures.push(`${label} zc.buildout accepts what we reject`);
          if (ours.status !== 2) failures.push(`${label} expected exit 2, got ${ours.status}: ${ours.stderr}`);
          return;
        }
        if ('error' in reference) {
          failures.push(`${label} zc.buildout fails: ${reference.error}`);
          return;
        }
        if (ours.status !== 0) {
          failures.push(`${label} we fail: ${ours.stderr}`);
          return;
        }
        const problems = compareWithReference(JSON.parse(ours.stdout).sections, reference.sections);
        for (const p of problems) failures.push(`${label} ${p}`);
      });
      assert.deepEqual(failures, []);
    } finally {
      for (const copy of copies) copy.cleanup();
    }
  },
);

test(
  'names past U+FFFF sort as Python sorts them (by code point, not UTF-16 unit): the first broken option ' +
    "reported, and annotate's order, are zc.buildout's",
  { skip: !referenceAvailable() && 'python3-zc.buildout is not installed' },
  () => {
    // U+1F600 is stored as the surrogates D83D DE00, which sort before U+FF01 by UTF-16 unit
    const temp = tempDir('zeta-code-point-order-');
    try {
      const file = path.join(temp.dir, 'buildout.cfg');
      writeFileSync(file, '[buildout]\nparts =\n[s]\na\u{1F600} = ${first:x}\na\uFF01 = ${second:y}\n');
      const [reference] = resolveWithReference([{ file, args: [] }]);
      assert.ok('error' in reference && /'second'/.test(reference.error), JSON.stringify(reference));
      const ours = assemble(['-c', file, 'annotate'], { cwd: temp.dir });
      assert.equal(ours.status, 2);
      assert.match(ours.stderr, /refers to section \[second\]/);
      writeFileSync(file, '[buildout]\nparts =\n[s]\na\u{1F600} = 1\na\uFF01 = 2\n');
      const listed = assemble(['-c', file, 'annotate', 's'], { cwd: temp.dir });
      assert.equal(listed.status, 0, listed.stderr);
      assert.ok(listed.stdout.indexOf('a\uFF01 =') < listed.stdout.indexOf('a\u{1F600} ='), listed.stdout);
    } finally {
      temp.cleanup();
    }
  },
);
