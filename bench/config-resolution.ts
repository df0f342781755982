/**
 * Benchmark: resolving configurations of 10, 100, 1000 and 10000 sections (8 options each, half
 * of them substitutions into other sections, over a chain of 3 extended files) with
 * `bin/assemble annotate --json` and with zc.buildout 2.13 doing the same work, whole process
 * against whole process, interleaved, medians. Prints the ratio of the medians, the median of each
 * round's paired ratio (steadier on a shared machine), and the growth from 1000 to 10000.
 */
import * as path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { generateConfig } from './generate-config';
import { comparePaired, envWithout, table } from './timing';

const ROOT = path.resolve(__dirname, '..', '..');

/** The V8 flags bin/assemble starts node with (read from it, so the floor cannot drift from them). */
function launcherFlags(): string[] {
  const exec = /^exec node (.*?) "\$here\//m.exec(readFileSync(path.join(ROOT, 'bin', 'assemble'), 'utf8'));
  if (!exec) throw new Error('bin/assemble: no `exec node FLAGS "$here/...` line to read the flags from');
  return exec[1].split(/\s+/).filter(Boolean);
}

/**
 * What each side pays before reading a file: an empty node process (under the launcher's flags),
 * and python importing zc.buildout. The 1000-section times less these show the ratio of the work itself.
 */
function floors(mine: number, reference: number): string {
  const shim =
    'import collections, collections.abc; collections.MutableMapping = collections.abc.MutableMapping; import ' +
    'zc.buildout.buildout';
  const {
    medians: [node, python],
  } = comparePaired(
    [
      {
        label: 'node',
        argv: [process.execPath, ...launcherFlags(), '-e', '0'],
        env: envWithout('NODE_EXTRA_CA_CERTS'),
      },
      { label: 'python', argv: ['/usr/bin/python3', '-c', shim] },
    ],
    15,
  );
  return (
    `start-up floors: node -e 0 ${node.toFixed(1)} ms, python3 importing zc.buildout ${python.toFixed(1)} ms; ` +
    `at 1000 sections the work above them is ${(mine - node).toFixed(1)} ms against ` +
    `${(reference - python).toFixed(1)} ms (${((reference - python) / (mine - node)).toFixed(1)}x)`
  );
}

export function benchConfigResolution(sizes = [10, 100, 1000, 10000]): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-bench-config-'));
  try {
    const rows = [['sections', 'assemble (ms)', 'zc.buildout (ms)', 'ratio of medians', 'paired ratio']];
    const ours: number[] = [];
    const theirs: number[] = [];
    for (const size of sizes) {
      const file = generateConfig(path.join(dir, String(size)), size);
      // the machines are noisy: ratios of medians over fewer rounds swing by 10-20%
      const rounds = size >= 10000 ? 5 : 15;
      const {
        medians: [mine, reference],
        ratios: [, paired],
      } = comparePaired(
        [
          { label: 'assemble', argv: [path.join(ROOT, 'bin', 'assemble'), '-c', file, 'annotate', '--json'] },
          { label: 'zc.buildout', argv: ['/usr/bin/python3', path.join(ROOT, 'bench', 'reference_annotate.py'), file] },
        ],
        rounds,
      );
      ours.push(mine);
      theirs.push(reference);
      rows.push([
        String(size),
        mine.toFixed(1),
        reference.toFixed(1),
        `${(reference / mine).toFixed(1)}x`,
        `${paired.toFixed(1)}x`,
      ]);
    }
    let text = table(rows);
    const i1000 = sizes.indexOf(1000);
    const i10000 = sizes.indexOf(10000);
    if (i1000 >= 0 && i10000 >= 0)
      text +=
        `\ngrowth 1000 -> 10000 sections: ${(ours[i10000] / ours[i1000]).toFixed(1)}x the time for 10x ` +
        `the sections`;
    if (i1000 >= 0) text += `\n${floors(ours[i1000], theirs[i1000])}`;
    return text;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log('Configuration resolution: bin/assemble annotate --json vs zc.buildout 2.13 (whole process, medians)');
  console.log(
    benchConfigResolution(
      process.argv.slice(2).map(Number).filter(Boolean).length ? process.argv.slice(2).map(Number) : undefined,
    ),
  );
}
