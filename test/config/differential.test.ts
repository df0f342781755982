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
import { copyFixture, referenceAvailable } from '../helpers/paths';
import { assemble, resolveWithReference } from '../helpers/run';

test('configuration fixtures resolve exactly as zc.buildout 2.13 resolves them', { skip: !referenceAvailable() && 'python3-zc.buildout is not installed' }, () => {
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
});
