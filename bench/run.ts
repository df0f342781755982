/**
 * `npm run bench`: every benchmark, one after the other, each printing its figures beside the
 * reference as ratios. The machine is shared and noisy: the runs are interleaved and medians,
 * and a figure is only worth comparing with one taken in the same run.
 *   config resolution  bin/assemble annotate --json vs zc.buildout 2.13   (config-resolution.ts)
 *   real-world corpus  the same on every case of test/fixtures/corpus      (corpus.ts)
 *   no-op re-run       200 template parts vs zc.buildout; the example     (noop-rerun.ts)
 *   plan               plan of the example, unchanged and one change, vs its no-op re-run (plan.ts)
 *   the stack          wrk: cache hits and the rest vs nginx's static rate (stack.ts)
 *   the front door     cache hits through it, HTTP and HTTPS, vs its static file and vs the
 *                      example without it; TLS handshakes by SNI vs one certificate (frontdoor.ts)
 *   process manager    bin/supervisord to the stack answering; shutdown   (process-manager.ts)
 *   rolling restart    4 instances one at a time vs at once, under load  (rolling-restart.ts)
 *   apply              one nginx change until it serves, vs the no-op re-run (apply.ts)
 *   monitor            the agent's cpu, memory, database vs pm2 jlist    (monitor-cost.ts)
 * `npm run bench:against -- REF` compares this checkout with a build of commit REF (against-commit.ts).
 * `npm run bench -- config noop` runs only those.
 */
import * as path from 'node:path';
import { chmodSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { benchConfigResolution } from './config-resolution';
import { benchCorpus } from './corpus';
import { benchDeploymentNoop, benchTemplateNoop } from './noop-rerun';
import { benchStack } from './stack';
import { benchFrontDoor } from './frontdoor';
import { benchPlan } from './plan';
import { benchProcessManager } from './process-manager';
import { benchRollingRestart } from './rolling-restart';
import { benchApply } from './apply';
import { benchMonitorCost } from './monitor-cost';

const ROOT = path.resolve(__dirname, '..', '..');

function exampleNoop(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-bench-example-'));
  chmodSync(dir, 0o755); // the daemons run as nobody and must reach their files
  try {
    for (const entry of ['deployment.cfg', 'versions.cfg', 'buildout.d', 'app'])
      cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
    const ms = benchDeploymentNoop(path.join(dir, 'deployment.cfg'));
    return `no-op re-run of the example deployment (${path.basename(dir)}): ${ms.toFixed(1)} ms (target: under 300 ms)`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const wanted = (name: string): boolean => !only.length || only.includes(name);
  if (wanted('config')) {
    console.log(
      '\n## Configuration resolution: bin/assemble annotate --json vs zc.buildout 2.13 (whole process, medians)',
    );
    console.log(benchConfigResolution());
  }
  if (wanted('corpus')) {
    console.log('\n## Real-world corpus: bin/assemble annotate --json vs zc.buildout 2.13 (whole process, medians)');
    console.log(benchCorpus());
  }
  if (wanted('noop')) {
    console.log('\n## No-op re-run: bin/assemble vs zc.buildout 2.13 (whole process, medians)');
    console.log(benchTemplateNoop());
    console.log(exampleNoop());
  }
  if (wanted('plan')) {
    console.log('\n## plan of the example deployment beside its no-op re-run (whole process, medians)');
    console.log(benchPlan());
  }
  if (wanted('stack')) {
    console.log('\n## The stack under wrk (ratios to nginx serving a static file)');
    console.log(await benchStack(3, 5, 3));
  }
  if (wanted('frontdoor')) {
    console.log('\n## The front door: cache hits through it (ratios to its static file and to the example without it)');
    console.log(await benchFrontDoor(3, 5));
  }
  if (wanted('pm')) {
    console.log('\n## Process manager: bin/supervisord until the example stack answers; shutdown');
    console.log(await benchProcessManager(3));
  }
  if (wanted('rolling')) {
    console.log('\n## Rolling restart: the 4 instances one at a time behind haproxy vs all at once, under load');
    console.log(await benchRollingRestart(3));
  }
  if (wanted('apply')) {
    console.log('\n## apply: one nginx change on the running stack until it serves, beside the no-op re-run');
    console.log(await benchApply(5));
  }
  if (wanted('monitor')) {
    console.log("\n## The monitor's own cost beside pm2 jlist polled once per interval");
    console.log(await benchMonitorCost(8, 20));
  }
}

main().catch((error: Error) => {
  console.error(error.stack ?? error.message);
  process.exit(1);
});
