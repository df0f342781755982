/**
 * Benchmark: `bin/assemble plan` of the example deployment (assembled in a temporary copy, no
 * stack started), unchanged and with one change (an nginx option: a reinstall, a file diff),
 * beside the no-op re-run of the same tree, interleaved rounds, medians and each round's paired
 * ratio to the no-op re-run. Target: plan within 1.5x of the no-op re-run.
 */
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { comparePaired, envWithout, table, type Command } from './timing';

const ROOT = path.resolve(__dirname, '..', '..');
const ASSEMBLE = path.join(ROOT, 'bin', 'assemble');

export function benchPlan(rounds = 15): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-bench-plan-'));
  chmodSync(dir, 0o755); // as a real tree: the daemons' users must reach their files
  try {
    for (const entry of ['deployment.cfg', 'versions.cfg', 'buildout.d', 'app']) {
      cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    }
    const env = envWithout('NODE_EXTRA_CA_CERTS');
    const base = [ASSEMBLE, '-q', '-c', 'deployment.cfg'];
    const install = spawnSync(base[0], base.slice(1), { cwd: dir, env, encoding: 'utf8' });
    if (install.status !== 0) throw new Error(`assembling the example failed: ${install.stderr}`);
    const commands: Command[] = [
      { label: 'no-op re-run', argv: base, cwd: dir, env },
      { label: 'plan, unchanged', argv: [...base, 'plan'], cwd: dir, env },
      // --exit-code: 3 says the change is pending, as it must be
      {
        label: 'plan, one change',
        argv: [...base, 'nginx:worker-connections=2048', 'plan', '--exit-code'],
        cwd: dir,
        env,
        status: 3,
      },
    ];
    const { medians, ratios } = comparePaired(commands, rounds);
    return table([
      ['run', 'median (ms)', 'paired ratio to the no-op re-run', 'target'],
      ...commands.map((c, i) => [c.label, medians[i].toFixed(1), `${ratios[i].toFixed(2)}x`, i ? 'within 1.5x' : '']),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  console.log('plan of the example deployment beside its no-op re-run (whole process, medians)');
  console.log(benchPlan());
}
