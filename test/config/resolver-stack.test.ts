/**
 * The Resolver runs a child (a section to initialise, a value to read) in a nested loop while the
 * nesting is shallow, and as a frame waiting on its explicit stack past the limit. Both must give
 * the same values and the same first error: random configurations and variants (the differential
 * suites' generators), every fixture and the corpus are resolved with the default limit and with limit 0,
 * where every child waits on the stack, and the results compared.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomConfig, randomVariant } from '../helpers/random-config';
import { configCases } from '../helpers/config-cases';
import { corpusCases } from '../helpers/corpus-cases';
import { copyFixture, tempDir } from '../helpers/paths';
import { loadConfig } from '../../src/config/load-config';
import { annotateJson } from '../../src/commands/annotate';
import { ZetaError } from '../../src/errors/zeta-error';

async function outcome(file: string, args: string[], nestingLimit?: number): Promise<string> {
  try {
    return annotateJson(await loadConfig({ file, assignments: args, nestingLimit }));
  } catch (error) {
    if (!(error instanceof ZetaError)) throw error;
    const at = error.location
      ? `${path.basename(error.location.file)}:${error.location.line}:${error.location.column}`
      : '';
    return `${error.code} ${error.message} ${at}`;
  }
}

test(
  'frames waiting on the stack and nested loops resolve 400 random configurations, every fixture and the ' +
    'real-world corpus, alike',
  async () => {
    const { dir, cleanup } = tempDir();
    try {
      const differences: string[] = [];
      let errors = 0;
      for (let seed = 1; seed <= 400; seed++) {
        const caseDir = path.join(dir, String(seed));
        mkdirSync(caseDir);
        const { files, args } = seed % 2 ? { files: randomConfig(seed), args: [] } : randomVariant(seed);
        for (const [name, text] of files) writeFileSync(path.join(caseDir, name), text);
        const file = path.join(caseDir, 'buildout.cfg');
        const nested = await outcome(file, args);
        const framed = await outcome(file, args, 0);
        if (!nested.startsWith('{')) errors++;
        if (nested !== framed)
          differences.push(`seed ${seed}: nested ${nested.slice(0, 200)} / frames ${framed.slice(0, 200)}`);
      }
      for (const c of configCases()) {
        const copy = copyFixture(c.dir);
        try {
          const file = path.join(copy.dir, 'buildout.cfg');
          const [nested, framed] = [await outcome(file, c.args), await outcome(file, c.args, 0)];
          if (nested !== framed)
            differences.push(`fixture ${c.name}: nested ${nested.slice(0, 200)} / frames ${framed.slice(0, 200)}`);
        } finally {
          copy.cleanup();
        }
      }
      for (const c of corpusCases()) {
        const file = path.join(c.dir, c.root); // read only: loadConfig writes nothing
        const [nested, framed] = [await outcome(file, c.args), await outcome(file, c.args, 0)];
        if (nested !== framed)
          differences.push(`corpus ${c.name}: nested ${nested.slice(0, 200)} / frames ${framed.slice(0, 200)}`);
      }
      assert.deepEqual(differences, []);
      assert.ok(errors > 20 && errors < 300, `${errors} of 400 random cases fail: both outcomes are compared`);
    } finally {
      cleanup();
    }
  },
);
