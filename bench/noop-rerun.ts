/**
 * Benchmark: a no-op re-run (everything already installed, nothing changed) of a configuration
 * with 200 template parts, `bin/assemble` against zc.buildout 2.13 doing the same work with a
 * minimal template recipe (bench/reference-recipe, put on PYTHONPATH so buildout needs no
 * develop step; -N -o so it does not look for upgrades). Whole process against whole process,
 * interleaved rounds, medians and the median of each round's paired ratio. Also times the no-op re-run of a given
 * deployment (the example
 * deployment) on its own: it cannot be expressed in zc.buildout (its recipes do not exist there).
 */
import { mkdirSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { comparePaired, envWithout, median, table, timeOnce } from './timing';

const ROOT = path.resolve(__dirname, '..', '..');
const ASSEMBLE = path.join(ROOT, 'bin', 'assemble');
const BUILDOUT = path.join(ROOT, 'bench', 'reference_buildout.py');

function templateConfig(parts: number, recipe: string): string {
  const lines = [
    '[buildout]',
    `parts = ${Array.from({ length: parts }, (_, i) => `t${i}`).join(' ')}`,
    '[hosts]',
    'public = localhost',
    '[ports]',
    'http = 8000',
  ];
  for (let i = 0; i < parts; i++) {
    lines.push(
      `[t${i}]`,
      `recipe = ${recipe}`,
      `inline = server \${hosts:public}:\${ports:http} number ${i}`,
      `output = \${buildout:directory}/out/t${i}.conf`,
    );
  }
  return `${lines.join('\n')}\n`;
}

function must(argv: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const r = spawnSync(argv[0], argv.slice(1), { cwd, env, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
}

export function benchTemplateNoop(parts = 200, rounds = 21): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-bench-noop-'));
  try {
    const ours = path.join(dir, 'zeta');
    const theirs = path.join(dir, 'buildout');
    mkdirSync(ours);
    mkdirSync(theirs);
    writeFileSync(path.join(ours, 'buildout.cfg'), templateConfig(parts, 'template'));
    writeFileSync(path.join(theirs, 'buildout.cfg'), templateConfig(parts, 'zetabench-recipe'));
    const env = envWithout('NODE_EXTRA_CA_CERTS');
    const pyEnv = { ...env, PYTHONPATH: path.join(ROOT, 'bench', 'reference-recipe') };
    const zeta = [ASSEMBLE, '-q'];
    const buildout = ['/usr/bin/python3', BUILDOUT, '-U', '-N', '-o', '-q', '-c', 'buildout.cfg'];
    must(zeta, ours, env);
    must(buildout, theirs, pyEnv);
    const {
      medians: [mine, reference],
      ratios: [, paired],
    } = comparePaired(
      [
        { label: 'assemble', argv: zeta, cwd: ours, env },
        { label: 'zc.buildout', argv: buildout, cwd: theirs, env: pyEnv },
      ],
      rounds,
    );
    return table([
      ['no-op re-run', 'assemble (ms)', 'zc.buildout (ms)', 'ratio of medians', 'paired ratio'],
      [
        `${parts} template parts`,
        mine.toFixed(1),
        reference.toFixed(1),
        `${(reference / mine).toFixed(1)}x`,
        `${paired.toFixed(1)}x`,
      ],
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The no-op re-run of an already-assembled deployment (median of `rounds`). */
export function benchDeploymentNoop(config: string, rounds = 9): number {
  const env = envWithout('NODE_EXTRA_CA_CERTS');
  const cwd = path.dirname(config);
  must([ASSEMBLE, '-q', '-c', config], cwd, env);
  const times: number[] = [];
  for (let i = 0; i < rounds; i++)
    times.push(timeOnce({ label: 'assemble', argv: [ASSEMBLE, '-q', '-c', config], cwd, env }));
  return median(times);
}

if (require.main === module) {
  console.log('No-op re-run: bin/assemble vs zc.buildout 2.13 (whole process, medians)');
  console.log(benchTemplateNoop());
  const deployment = process.argv[2];
  if (deployment)
    console.log(
      `no-op re-run of ${deployment}: ${benchDeploymentNoop(deployment).toFixed(1)} ms (target: under 300 ms)`,
    );
}
