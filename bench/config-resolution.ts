/**
 * Benchmark: resolving configurations of 10, 100, 1000 and 10000 sections (8 options each, half
 * of them substitutions into other sections, over a chain of 3 extended files) with
 * `bin/assemble annotate --json` and with zc.buildout 2.13 doing the same work, whole process
 * against whole process, interleaved, medians. Prints the ratio of the medians, the median of each
 * round's paired ratio (steadier on a shared machine), and the growth from 1000 to 10000.
 */
import * as path from 'node:path';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { generateConfig } from './generate-config';
import { comparePaired, table } from './timing';

const ROOT = path.resolve(__dirname, '..', '..');

export function benchConfigResolution(sizes = [10, 100, 1000, 10000]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-bench-config-'));
  try {
    const rows = [['sections', 'assemble (ms)', 'zc.buildout (ms)', 'ratio of medians', 'paired ratio']];
    const ours: number[] = [];
    for (const size of sizes) {
      const file = generateConfig(path.join(dir, String(size)), size);
      // the machines are noisy: ratios of medians over fewer rounds swing by 10-20%
      const rounds = size >= 10000 ? 5 : 15;
      const { medians: [mine, reference], ratios: [, paired] } = comparePaired([
        { label: 'assemble', argv: [path.join(ROOT, 'bin', 'assemble'), '-c', file, 'annotate', '--json'] },
        { label: 'zc.buildout', argv: ['/usr/bin/python3', path.join(ROOT, 'bench', 'reference_annotate.py'), file] },
      ], rounds);
      ours.push(mine);
      rows.push([String(size), mine.toFixed(1), reference.toFixed(1), `${(reference / mine).toFixed(1)}x`, `${paired.toFixed(1)}x`]);
    }
    let text = table(rows);
    const i1000 = sizes.indexOf(1000);
    const i10000 = sizes.indexOf(10000);
    if (i1000 >= 0 && i10000 >= 0) text += `\ngrowth 1000 -> 10000 sections: ${(ours[i10000] / ours[i1000]).toFixed(1)}x the time for 10x the sections`;
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log('Configuration resolution: bin/assemble annotate --json vs zc.buildout 2.13 (whole process, medians)');
  console.log(benchConfigResolution(process.argv.slice(2).map(Number).filter(Boolean).length ? process.argv.slice(2).map(Number) : undefined));
}
