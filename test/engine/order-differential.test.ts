/**
 * Install order against zc.buildout 2.13: random graphs of template parts that refer to each
 * other (directly, or through a section that is not a part), with some parts only pulled in by
 * a reference. Where the graph has no cycle, `plan` must install in exactly buildout's order;
 * where it has one, ours is an error naming the cycle (the parts engine's rule; buildout goes on
 * with the order it happened to initialise them in).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Random } from '../helpers/random-config';
import { REFERENCE_PYTHON, ROOT, referenceAvailable, tempDir } from '../helpers/paths';
import { assemble } from '../helpers/run';

const COUNT = Number(process.env.ZETA_ORDER_CASES ?? 80);

function partGraph(seed: number): string {
  const r = new Random(seed);
  const names = Array.from({ length: 2 + r.int(5) }, (_, i) => `p${i}`);
  const listed = names.filter(() => r.chance(0.7));
  if (!listed.length) listed.push(names[0]);
  for (let i = listed.length - 1; i > 0; i--) {
    const j = r.int(i + 1);
    [listed[i], listed[j]] = [listed[j], listed[i]];
  }
  const lines = [
    '[buildout]',
    `parts = ${listed.join(' ')}`,
    '[conf]',
    `v = ${r.chance(0.5) ? `\${${r.pick(names)}:output}` : 'plain'}`,
  ];
  for (const name of names) {
    const refs = names.filter((other) => other !== name && r.chance(0.25)).map((other) => `\${${other}:output}`);
    if (r.chance(0.2)) refs.push('${conf:v}');
    lines.push(
      `[${name}]`,
      'recipe = template',
      `inline = ${name} ${refs.join(' ')}`,
      `output = \${buildout:directory}/out/${name}.txt`,
    );
  }
  return `${lines.join('\n')}\n`;
}

test(
  `${COUNT} random part graphs install in zc.buildout's order (or fail on a cycle)`,
  { skip: !referenceAvailable() && 'python3-zc.buildout is not installed' },
  () => {
    const { dir, cleanup } = tempDir();
    try {
      const files = Array.from({ length: COUNT }, (_, i) => {
        const caseDir = path.join(dir, String(i + 1));
        mkdirSync(caseDir);
        writeFileSync(path.join(caseDir, 'buildout.cfg'), partGraph(i + 1));
        return path.join(caseDir, 'buildout.cfg');
      });
      const run = spawnSync(REFERENCE_PYTHON, [path.join(ROOT, 'test', 'reference', 'part_order.py')], {
        input: JSON.stringify(files),
        encoding: 'utf8',
        timeout: 120_000,
      });
      assert.equal(run.status, 0, run.stderr);
      const reference = JSON.parse(run.stdout) as Array<{ order?: string[]; error?: string }>;
      const failures: string[] = [];
      let compared = 0;
      let cycles = 0;
      files.forEach((file, i) => {
        const plan = assemble(['-c', file, 'plan'], { cwd: path.dirname(file) });
        if (reference[i].error) {
          failures.push(`case ${i + 1}: zc.buildout fails (${reference[i].error}), an unexpected case`);
          return;
        }
        if (plan.status !== 0) {
          if (/error\[PART_CYCLE\]: parts depend on each other in a circle: \S+( -> \S+)+/.test(plan.stderr)) cycles++;
          else failures.push(`case ${i + 1}: ${plan.stderr.split('\n')[0]}`);
          return;
        }
        const ours = [...plan.stdout.matchAll(/^\s+install\s+(\S+)/gm)].map((m) => m[1]);
        compared++;
        if (ours.join(' ') !== reference[i].order!.join(' '))
          failures.push(`case ${i + 1}: ours ${ours.join(' ')}, zc.buildout ${reference[i].order!.join(' ')}`);
      });
      assert.deepEqual(failures, []);
      assert.ok(compared > COUNT / 3 && cycles > 0, `${compared} orders compared, ${cycles} cycles`);
    } finally {
      cleanup();
    }
  },
);
