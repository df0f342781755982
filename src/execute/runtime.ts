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

const HOOK_TIMEOUT_MS = 30_000;

function runtimeContext(run: PreparedRun, part: string, logger: Logger): RuntimeContext {
  const resolver = run.config.resolver;
  return {
    name: part,
    options: makePartOptions(part, () => resolver.options(part), () => undefined),
    paths: run.paths,
    log: recipeLogger(part, logger, () => undefined),
    previous: { ...(run.state.parts[part]?.options ?? {}) },
    exec: (argv, options) => runCommand(argv, { timeoutMs: HOOK_TIMEOUT_MS, ...options }),
  };
}

/** Each selected part's runtime report, in the parts' order (parts without the hook are left out). */
export async function runtimeReports(run: PreparedRun, logger: Logger): Promise<Map<string, RuntimeReport>> {
  const reports = new Map<string, RuntimeReport>();
  for (const part of run.order) {
    if (run.only && !run.only.has(part)) continue;
    const info = run.parts.get(part);
    const hook = info?.recipe.recipe.runtime;
    if (!info || !hook) continue;
    try {
      const report = await hook.call(info.recipe.recipe, runtimeContext(run, part, logger), info.prepared);
      if (report) reports.set(part, report);
    } catch (error) {
      throw wrapRecipeError(error, part, info.recipe.spec, 'asking the running programs of');
    }
  }
  return reports;
}

/** After install: each running part's `apply`, in dependency order; returns the lines done. */
export async function applyRuntime(run: PreparedRun, reports: Map<string, RuntimeReport>,
  logger: Logger): Promise<string[]> {
  const done: string[] = [];
  for (const part of run.order) {
    const report = reports.get(part);
    const info = run.parts.get(part);
    const hook = info?.recipe.recipe.apply;
    if (!report || !report.running || !info || !hook) continue;
    try {
      done.push(...await hook.call(info.recipe.recipe, runtimeContext(run, part, logger), info.prepared, report));
    } catch (error) {
      throw wrapRecipeError(error, part, info.recipe.spec, 'applying the change to the running programs of');
    }
  }
  return done;
}
