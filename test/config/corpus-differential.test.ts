/**
 * The real-world corpus against zc.buildout 2.13: every case (a public buildout with its whole
 * extends tree, remote files vendored) is resolved by `bin/assemble annotate --json` and by
 * zc.buildout, and every section and option must agree. zc.buildout runs without its recipes
 * (test/reference/resolve_many.py: a part's recipe is never loaded), while our annotate runs the
 * options phase of the built-in recipes the parts name: the options those derive (`location`, ...)
 * are left out of the comparison, and only those; a recipe that changed an option the
 * configuration set would show here as a difference. A case zc.buildout 2.13 cannot resolve
 * (newer configurations use conditions it lacks, such as `python38`) records it, and we must
 * reject it too.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import * as path from 'node:path';
import { corpusCases } from '../helpers/corpus-cases';
import { compareWithReference } from '../helpers/config-cases';
import { referenceAvailable, tempDir } from '../helpers/paths';
import { assemble, resolveWithReference } from '../helpers/run';
import { loadForInspection } from '../../src/parts/inspect';

type Sections = Record<string, Record<string, string>>;

/** Our sections without the options our recipes derived. */
async function withoutDerived(file: string, args: string[], sections: Sections): Promise<Sections> {
  const config = await loadForInspection({ file, assignments: args });
  const out: Sections = {};
  for (const [name, options] of Object.entries(sections)) {
    const derived = config.resolver.stateOf(name)?.derived ?? new Set<string>();
    out[name] = Object.fromEntries(Object.entries(options).filter(([option]) => !derived.has(option)));
  }
  return out;
}

test(
  'the real-world corpus resolves exactly as zc.buildout 2.13 resolves it',
  { skip: !referenceAvailable() && 'python3-zc.buildout is not installed' },
  async () => {
    const cases = corpusCases();
    assert.ok(cases.length >= 30, `${cases.length} cases`);
    const temp = tempDir('zeta-corpus-');
    try {
      const files = cases.map((c) => {
        const dir = path.join(temp.dir, c.name);
        cpSync(c.dir, dir, { recursive: true });
        return path.join(dir, c.root);
      });
      const references = resolveWithReference(cases.map((c, i) => ({ file: files[i], args: c.args })));
      const failures: string[] = [];
      let compared = 0;
      for (const [i, c] of cases.entries()) {
        const ours = assemble(['-c', files[i], ...c.args, 'annotate', '--json'], { cwd: path.dirname(files[i]) });
        const reference = references[i];
        const label = `${c.name} (${c.source.repository} ${c.source.path}):`;
        if (ours.status !== 0 && ours.status !== 2) failures.push(`${label} exit ${ours.status}: ${ours.stderr}`);
        if (c.reference === 'errors') {
          if (!('error' in reference)) failures.push(`${label} zc.buildout was expected to reject this case`);
          if (ours.status !== 2) failures.push(`${label} zc.buildout rejects it (${c.note}); we exit ${ours.status}`);
          continue;
        }
        if ('error' in reference) {
          failures.push(`${label} zc.buildout fails: ${reference.error.split('\n')[0]}`);
          continue;
        }
        if (ours.status !== 0) {
          failures.push(`${label} we fail: ${ours.stderr.split('\n')[0]}`);
          continue;
        }
        const mine = await withoutDerived(files[i], c.args, JSON.parse(ours.stdout).sections);
        for (const problem of compareWithReference(mine, reference.sections)) failures.push(`${label} ${problem}`);
        compared++;
      }
      assert.deepEqual(failures, []);
      assert.ok(compared >= 25, `${compared} cases compared value by value`);
    } finally {
      temp.cleanup();
    }
  },
);
