/**
 * Benchmark (not a test): the rolling restart of the example's four instances, beside the plain
 * restart of all four at once, under the same request loop through nginx, in interleaved rounds.
 *
 * Per round:
 * - rolling: re-assembled with the instances' threads changed (3, then 2, ...), then
 *   `bin/supervisorctl update`: each instance drained through haproxy, restarted, ready and UP
 *   again before the next one;
 * - at once: `bin/supervisorctl restart instance1 instance2 instance3 instance4` (what a restart
 *   of the instances did before the runtime plan existed).
 * Printed per kind: the median time of the command, and the requests answered 200 and failed
 * meanwhile (three workers, one request after another).
 *
 *     node dist/bench/rolling-restart.js [rounds]
 */
import { SupervisedExample } from '../test/helpers/supervised-example';
import { underLoad, type LoopAnswer } from '../test/helpers/request-loop';
import { median, table } from './timing';

interface Round {
  ms: number;
  ok: number;
  failed: number;
}

const INSTANCES = ['instance1', 'instance2', 'instance3', 'instance4'];

function count(ms: number, answers: LoopAnswer[]): Round {
  const ok = answers.filter((a) => a.status === 200).length;
  return { ms, ok, failed: answers.length - ok };
}

async function rolling(example: SupervisedExample, threads: number): Promise<Round> {
  const assembled = await example.stack.assemble(`instance:threads=${threads}`);
  if (assembled.status !== 0) throw new Error(`assembly failed:\n${assembled.stderr}`);
  const { result, answers } = await underLoad(example.stack.ports.http, () => example.ctl('update'));
  if (result.status !== 0) throw new Error(`update failed:\n${result.stderr}`);
  if (!/rolling-restarted instance4/.test(result.stderr))
    throw new Error(`update did not restart the instances:\n${result.stderr}`);
  return count(result.ms, answers);
}

async function atOnce(example: SupervisedExample): Promise<Round> {
  const { result, answers } = await underLoad(example.stack.ports.http, () => example.ctl('restart', ...INSTANCES));
  if (result.status !== 0) throw new Error(`restart failed:\n${result.stderr}`);
  return count(result.ms, answers);
}

function row(name: string, rounds: Round[]): string[] {
  return [
    name,
    `${(median(rounds.map((r) => r.ms)) / 1000).toFixed(2)} s`,
    String(median(rounds.map((r) => r.ok))),
    String(rounds.reduce((sum, r) => sum + r.failed, 0)),
  ];
}

export async function benchRollingRestart(rounds = 3): Promise<string> {
  const example = await SupervisedExample.assemble();
  try {
    const started = await example.supervisord();
    if (started.status !== 0) throw new Error(`bin/supervisord failed:\n${started.stderr}`);
    const results = { rolling: [] as Round[], atOnce: [] as Round[] };
    for (let round = 0; round < rounds; round++) {
      results.rolling.push(await rolling(example, round % 2 ? 2 : 3));
      results.atOnce.push(await atOnce(example));
    }
    return [
      `restart of the 4 instances under a request loop through nginx (3 workers), ${rounds} interleaved rounds, ` +
        'medians',
      table([
        ['kind', 'time', 'answered 200', 'failed (all rounds)'],
        row('rolling (update)', results.rolling),
        row('all at once (restart)', results.atOnce),
      ]),
    ].join('\n');
  } finally {
    await example.teardown();
  }
}

if (require.main === module) {
  benchRollingRestart(Number(process.argv[2] ?? 3)).then(
    (text) => console.log(text),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
