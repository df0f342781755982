/**
 * Random configurations, resolved by us and by zc.buildout 2.13: whenever the reference
 * resolves one, we must resolve it to the same values; whenever it rejects one, so must we.
 * Seeds are fixed so any failure can be replayed with ZETA_SEED.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { randomCondition, randomConfig, randomVariant } from '../helpers/random-config';
import { referenceAvailable, tempDir } from '../helpers/paths';
import { resolveWithReference } from '../helpers/run';
import { compareWithReference } from '../helpers/config-cases';
import { loadConfig } from '../../src/config/load-config';
import { annotateJson } from '../../src/commands/annotate';
import { ZetaError } from '../../src/errors/zeta-error';

const COUNT = Number(process.env.ZETA_RANDOM_CASES ?? 300);
const FIRST = Number(process.env.ZETA_SEED ?? 1);

interface RandomCase {
  files: Map<string, string>;
  args: string[];
}

/**
 * Resolves COUNT generated cases both ways and lists every disagreement; `maxRejected` bounds the
 * share of cases both reject (the variants' odd references and extra layers fail more often).
 */
async function differential(generate: (seed: number) => RandomCase, maxRejected = 0.5): Promise<void> {
  const { dir, cleanup } = tempDir();
  try {
    const jobs = [];
    for (let seed = FIRST; seed < FIRST + COUNT; seed++) {
      const caseDir = path.join(dir, String(seed));
      require('node:fs').mkdirSync(caseDir);
      const { files, args } = generate(seed);
      for (const [name, text] of files) writeFileSync(path.join(caseDir, name), text);
      jobs.push({ file: path.join(caseDir, 'buildout.cfg'), args });
    }
    const references = resolveWithReference(jobs);
    const failures: string[] = [];
    let agreedErrors = 0;
    for (let i = 0; i < jobs.length; i++) {
      const seed = FIRST + i;
      let ours: string | undefined;
      let error: unknown;
      try {
        const config = await loadConfig({ file: jobs[i].file, assignments: jobs[i].args });
        ours = annotateJson(config);
      } catch (e) {
        error = e;
      }
      if (error && !(error instanceof ZetaError)) failures.push(`seed ${seed}: internal error ${String(error)}`);
      const reference = references[i];
      if ('error' in reference) {
        if (!error) failures.push(`seed ${seed}: zc.buildout rejects (${reference.error.split('\n')[0]}), we accept`);
        else agreedErrors++;
        continue;
      }
      if (error) {
        failures.push(`seed ${seed}: we reject (${(error as Error).message}), zc.buildout accepts`);
        continue;
      }
      for (const p of compareWithReference(JSON.parse(ours!).sections, reference.sections))
        failures.push(`seed ${seed}: ${p}`);
    }
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} disagreements`);
    // The generator must exercise both paths: resolutions to compare, and rejections to agree on.
    assert.ok(
      agreedErrors > COUNT / 20 && agreedErrors < COUNT * maxRejected,
      `${agreedErrors} of ${COUNT} cases were rejected`,
    );
  } finally {
    cleanup();
  }
}

const skip = !referenceAvailable() && 'python3-zc.buildout is not installed';

test(`${COUNT} random configurations resolve as zc.buildout resolves them`, { skip }, () =>
  differential((seed) => ({ files: randomConfig(seed), args: [] })),
);

test(
  `${COUNT} random variants (diamond extends, upper case, several macro sources, odd references, command-line ` +
    `assignments) resolve as zc.buildout resolves them`,
  { skip },
  () => differential(randomVariant, 0.7),
);

test(`${COUNT} random conditional-section expressions evaluate as zc.buildout's eval does`, { skip }, () =>
  differential(randomCondition),
);
