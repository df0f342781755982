/**
 * The ordered start and stop of many programs. Start: every check first (nothing starts when one
 * program cannot), then priority groups, lowest first, each group only once the previous one is
 * ready, showing live what is waited for and for how long. Stop: the reverse order.
 */
import { priorityGroups, type Program } from './config';
import { describeReadiness } from './readiness';
import { listeningTable } from './proc-info';
import type { Runtime } from './runtime';
import { preflight, startProgram } from './start-program';
import { stopProgram, type StopResult } from './stop-program';
import { isZetaError, together, type ZetaError } from '../../src/errors/zeta-error';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

/** Every program's checks at once (collect, then fail); pass `rt` when the daemon runs. */
export async function checkAll(rt: Runtime | undefined, programs: Program[]): Promise<void> {
  const processes = rt ? await rt.pm2.list() : [];
  const listening = listeningTable();
  const problems = programs
    .map((p) => preflight(p, processes.find((q) => q.name === p.name)?.pid, listening))
    .filter((e): e is ZetaError => !!e);
  if (problems.length) throw together(problems);
}

/** `checked`: the caller has just run checkAll (bin/supervisord does, before spawning the daemon). */
export async function startInOrder(
  rt: Runtime,
  programs: Program[],
  options: { checked?: boolean } = {},
): Promise<void> {
  if (!options.checked) await checkAll(rt, programs);
  for (const group of priorityGroups(programs)) {
    const waiting = new Map<string, number>(group.map((p) => [p.name, 0]));
    const show = (): void =>
      rt.progress(
        `priority ${group[0].priority}: waiting for ${[...waiting]
          .map(
            ([name, ms]) =>
              `${name} (${describeReadiness(group.find((p) => p.name === name)!.ready)}) ${(ms / 1000).toFixed(1)} s`,
          )
          .join(', ')}`,
      );
    const known = await rt.pm2.list();
    // pm2's daemon spawns one program at a time (tens of ms each): the one that took longest to
    // get ready last time goes first (varnish, compiling its VCL), so the group waits less
    const slowestFirst = [...group].sort((a, b) => (rt.db.lastReadyMs(b.name) ?? 0) - (rt.db.lastReadyMs(a.name) ?? 0));
    const results = await Promise.allSettled(
      slowestFirst.map(async (program) => {
        const ms = await startProgram(
          rt,
          program,
          (elapsed) => {
            waiting.set(program.name, elapsed);
            show();
          },
          known,
        );
        waiting.delete(program.name);
        rt.progress('');
        rt.say(
          `ready    ${program.name.padEnd(16)} ${(ms / 1000).toFixed(2)} s  (${describeReadiness(program.ready)})`,
        );
      }),
    );
    rt.progress('');
    const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    if (failures.length) {
      const asError = (f: unknown): ZetaError => processManagerErrors.startFailed(String((f as Error)?.message ?? f));
      const errors = failures.map((f) => (isZetaError(f) ? f : asError(f)));
      throw together(errors);
    }
  }
}

export async function stopInOrder(rt: Runtime, programs: Program[]): Promise<StopResult[]> {
  const results: StopResult[] = [];
  for (const group of priorityGroups(programs).reverse()) {
    const stopped = await Promise.all(group.map((program) => stopProgram(rt, program)));
    for (const result of stopped) {
      if (result.pid)
        rt.say(
          `stopped  ${result.name.padEnd(16)} ${(result.ms / 1000).toFixed(2)} s${result.killed ? '  (SIGKILL)' : ''}`,
        );
      results.push(result);
    }
  }
  return results;
}
