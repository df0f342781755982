/**
 * Entry point required by bin/assemble. The build (scripts/build.js) sets ZETA_WARM_UP to a JSON
 * list of runs ({cwd, argv}) done one after the other in this one process, so that the V8 code
 * cache written at its exit holds the functions of every command it exercised.
 */
import { main } from './main';

interface WarmUpRun {
  cwd: string;
  argv: string[];
}

async function warmUp(runs: WarmUpRun[]): Promise<void> {
  for (const run of runs) {
    process.chdir(run.cwd);
    await main(run.argv);
    if (process.exitCode) throw new Error(`warm-up run ${run.argv.join(' ')} failed`);
  }
}

const runs = process.env.ZETA_WARM_UP;
if (runs) {
  warmUp(JSON.parse(runs) as WarmUpRun[]).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exitCode = 1;
  });
} else {
  void main(process.argv.slice(2));
}
