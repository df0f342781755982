/**
 * Benchmark (not a test): `bin/assemble apply` of one nginx change on the running example stack,
 * from the command's start until the new configuration serves, beside the no-op re-run of the
 * same tree (`bin/assemble` with nothing changed), in interleaved rounds. Target: under 1 s.
 *
 * "Serves" is when nginx's master has a worker the old configuration did not have (a reload
 * starts new workers on the new configuration; the old ones only finish their requests) and a
 * request through nginx is answered 200 after it; watched every 5 ms while apply runs. The nginx
 * option alternates (read-timeout 183, 184) so every round is a change.
 *
 *     node dist/bench/apply.js [rounds]
 */
import { SupervisedExample } from '../test/helpers/supervised-example';
import { requestOnce } from '../test/helpers/request-loop';
import { processTree } from '../programs/process-manager/proc-info';
import { median, table } from './timing';

interface Round {
  serving: number;
  command: number;
  noop: number;
}

const workersOf = (master: number): Set<number> => new Set(processTree(master).filter((pid) => pid !== master));

async function applyRound(example: SupervisedExample, master: number, value: number): Promise<Omit<Round, 'noop'>> {
  const before = workersOf(master);
  const began = performance.now();
  let serving: number | undefined;
  let done = false;
  let command = 0;
  const running = example.stack.assemble(`nginx:read-timeout=${value}`, 'apply').then((result) => {
    command = performance.now() - began;
    done = true;
    return result;
  });
  let n = 0;
  while (serving === undefined && (!done || n < 400)) {
    const fresh = [...workersOf(master)].some((pid) => !before.has(pid));
    if (fresh && (await requestOnce(example.stack.ports.http, 2_000_000 + value * 1000 + n++)).status === 200)
      serving = performance.now() - began;
    else await new Promise((resolve) => setTimeout(resolve, 5));
  }
  const result = await running;
  if (result.status !== 0) throw new Error(`apply failed:\n${result.stderr}`);
  if (!/applied +reload nginx/.test(result.stderr)) throw new Error(`apply did not reload nginx:\n${result.stderr}`);
  if (serving === undefined) throw new Error('no new nginx worker served after apply');
  return { serving, command };
}

export async function benchApply(rounds = 5): Promise<string> {
  const example = await SupervisedExample.assemble();
  try {
    const started = await example.supervisord();
    if (started.status !== 0) throw new Error(`bin/supervisord failed:\n${started.stderr}`);
    const master = (await example.program('nginx')).pid!;
    const results: Round[] = [];
    for (let round = 0; round < rounds + 1; round++) {
      const value = round % 2 ? 184 : 183;
      const applied = await applyRound(example, master, value);
      const noopBegan = performance.now();
      const noop = await example.stack.assemble(`nginx:read-timeout=${value}`);
      const noopMs = performance.now() - noopBegan;
      if (noop.status !== 0) throw new Error(`the no-op re-run failed:\n${noop.stderr}`);
      if (!/nothing to do|unchanged/.test(noop.stderr)) throw new Error(`the re-run was not a no-op:\n${noop.stderr}`);
      if (round > 0) results.push({ ...applied, noop: noopMs }); // the first round warms the caches
    }
    const ms = (pick: (r: Round) => number): string => median(results.map(pick)).toFixed(0);
    const ratio = (pick: (r: Round) => number): string => `${median(results.map((r) => pick(r) / r.noop)).toFixed(2)}x`;
    return [
      `apply of one nginx option on the running example stack, ${rounds} interleaved rounds, medians ` +
        '(ratios paired per round)',
      table([
        ['run', 'median (ms)', 'ratio to the no-op re-run', 'target'],
        ['no-op re-run (bin/assemble)', ms((r) => r.noop), '1.00x', ''],
        ['apply: command to the new config serving', ms((r) => r.serving), ratio((r) => r.serving), 'under 1 s'],
        ['apply: the whole command', ms((r) => r.command), ratio((r) => r.command), ''],
      ]),
    ].join('\n');
  } finally {
    await example.teardown();
  }
}

if (require.main === module) {
  benchApply(Number(process.argv[2] ?? 5)).then(
    (text) => console.log(text),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
