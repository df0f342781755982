/**
 * The runtime hooks (src/recipe.ts: runtime, apply): what a run does to the running programs.
 * `runtimeReports` asks every part whose recipe has `runtime` (read-only, for plan and before
 * apply's install); `applyRuntime` hands each report to its part's `apply` after install, in
 * the parts' dependency order, and collects the lines done. Hooks run commands only through
 * the context's exec, bounded (30 s unless they ask otherwise); their errors name the part.
 */
import type { RuntimeContext, RuntimeReport } from '../recipe';
import type { PreparedRun } from '../plan/prepare';
import type { Logger } from '../output/logger';
import { makePartOptions } from '../parts/part-options';
import { wrapRecipeError } from '../parts/initialize-parts';
import { recipeLogger } from './install-context';
import { runCommand } from './exec';
import { changeReasons } from '../plan/plan';
import * as path from 'node:path';

const HOOK_TIMEOUT_MS = 30_000;

/** Each part's installed options before this run changes them: what the hooks compare with. */
export type PreviousOptions = Map<string, Record<string, string>>;

export function previousOptions(run: PreparedRun): PreviousOptions {
  return new Map(Object.entries(run.state.parts).map(([part, record]) => [part, { ...record.options }]));
}

function runtimeContext(run: PreparedRun, part: string, logger: Logger, previous: PreviousOptions): RuntimeContext {
  const resolver = run.config.resolver;
  return {
    name: part,
    options: makePartOptions(
      part,
      () => resolver.options(part),
      () => undefined,
    ),
    paths: run.paths,
    log: recipeLogger(part, logger, () => undefined),
    previous: previous.get(part) ?? {},
    exec: (argv, options) => runCommand(argv, { timeoutMs: HOOK_TIMEOUT_MS, ...options }),
    // the files parts declared in their options phase, as install will write them
    contentAfter: (file) => {
      for (const info of run.parts.values()) {
        const output = info.outputs.get(file);
        if (output) return output.content;
      }
      return undefined;
    },
    rebuiltBy: (file) => {
      for (const [name, record] of Object.entries(run.state.parts)) {
        if (!record.paths.some((p) => file === p || file.startsWith(`${p}${path.sep}`))) continue;
        const planned = run.planned.get(name);
        if (planned && changeReasons(planned, run.state).length) return name;
      }
      return undefined;
    },
  };
}

/** Each selected part's runtime report, in the parts' order (parts without the hook are left out). */
export async function runtimeReports(
  run: PreparedRun,
  logger: Logger,
  previous = previousOptions(run),
): Promise<Map<string, RuntimeReport>> {
  const reports = new Map<string, RuntimeReport>();
  for (const part of run.order) {
    if (run.only && !run.only.has(part)) continue;
    const info = run.parts.get(part);
    const hook = info?.recipe.recipe.runtime;
    if (!info || !hook) continue;
    try {
      const report = await hook.call(info.recipe.recipe, runtimeContext(run, part, logger, previous), info.prepared);
      if (report) reports.set(part, report);
    } catch (error) {
      throw wrapRecipeError(error, part, info.recipe.spec, 'asking the running programs of');
    }
  }
  return reports;
}

/** After install: each running part's `apply`, in dependency order, seeing the options from before install. */
export async function applyRuntime(
  run: PreparedRun,
  reports: Map<string, RuntimeReport>,
  logger: Logger,
  previous: PreviousOptions,
): Promise<string[]> {
  const done: string[] = [];
  for (const part of run.order) {
    const report = reports.get(part);
    const info = run.parts.get(part);
    const hook = info?.recipe.recipe.apply;
    if (!report || !report.running || !info || !hook) continue;
    try {
      const ctx = runtimeContext(run, part, logger, previous);
      done.push(...(await hook.call(info.recipe.recipe, ctx, info.prepared, report)));
    } catch (error) {
      throw wrapRecipeError(error, part, info.recipe.spec, 'applying the change to the running programs of');
    }
  }
  return done;
}
