/**
 * Benchmark: every case of the real-world corpus (test/fixtures/corpus/) resolved by
 * `bin/assemble annotate --json` and by zc.buildout 2.13 doing the same work (bench/
 * reference_annotate.py: resolve, print JSON, no recipes), whole process against whole process,
 * interleaved rounds, medians. Prints each case side by side with its ratios, then the median
 * ratio over the cases and the slowest case. A case zc.buildout rejects is timed to its error
 * on both sides (we must reject it too). Each side runs on its own copy of the cases: zc.buildout
 * creates directories beside the configuration.
 */
import * as path from 'node:path';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { corpusCases } from '../test/helpers/corpus-cases';
import { comparePaired, envWithout, median, table } from './timing';

const ROOT = path.resolve(__dirname, '..', '..');

export function benchCorpus(rounds = 9): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-bench-corpus-'));
  try {
    const env = envWithout('NODE_EXTRA_CA_CERTS');
    const rows = [['case', 'assemble (ms)', 'zc.buildout (ms)', 'ratio of medians', 'paired ratio']];
    const ratios: number[] = [];
    const paired: number[] = [];
    const cases = corpusCases();
    for (const c of cases) {
      const ours = path.join(dir, 'ours', c.name);
      const theirs = path.join(dir, 'theirs', c.name);
      cpSync(c.dir, ours, { recursive: true });
      cpSync(c.dir, theirs, { recursive: true });
      const rejected = c.reference === 'errors';
      const {
        medians: [mine, reference],
        ratios: [, pairedRatio],
      } = comparePaired(
        [
          {
            label: `assemble ${c.name}`,
            argv: [path.join(ROOT, 'bin', 'assemble'), '-c', path.join(ours, c.root), ...c.args, 'annotate', '--json'],
            env,
            cwd: ours,
            status: rejected ? 2 : 0,
          },
          {
            label: `zc.buildout ${c.name}`,
            argv: [
              '/usr/bin/python3',
              path.join(ROOT, 'bench', 'reference_annotate.py'),
              path.join(theirs, c.root),
              ...c.args,
            ],
            cwd: theirs,
            status: rejected ? 1 : 0,
          },
        ],
        rounds,
      );
      ratios.push(reference / mine);
      paired.push(pairedRatio);
      rows.push([
        `${c.name}${rejected ? ' (both reject)' : ''}`,
        mine.toFixed(1),
        reference.toFixed(1),
        `${(reference / mine).toFixed(1)}x`,
        `${pairedRatio.toFixed(1)}x`,
      ]);
    }
    const slowest = ratios.indexOf(Math.min(...ratios));
    return (
      `${table(rows)}\n` +
      `${cases.length} cases: median ratio ${median(ratios).toFixed(1)}x (paired ${median(paired).toFixed(1)}x); ` +
      `lowest ${ratios[slowest].toFixed(1)}x (${cases[slowest].name}, paired ${paired[slowest].toFixed(1)}x); ` +
      `${ratios.filter((r) => r < 1).length} cases slower than zc.buildout`
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log('Real-world corpus: bin/assemble annotate --json vs zc.buildout 2.13 (whole process, medians)');
  console.log(benchCorpus(Number(process.argv[2]) || undefined));
}
