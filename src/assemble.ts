/**
 * assemble: one run's stages, wired. Prepare (load the configuration, run every part's options
 * phase, check the programs and pins, read the installed state), then plan; `plan` stops there
 * (with the file diffs and the running programs' report), `install` undoes an interrupted run,
 * executes the plan part by part (recording the state after each) and appends picked versions;
 * `apply` asks the running programs first, installs, then hands each report to its part's apply
 * hook. Printing is the commands' job (src/commands/).
 */
import type { Logger } from './output/logger';
import type { DownloadService } from './download/download-service';
import type { ZetaError } from './errors/zeta-error';
import type { RuntimeReport } from './recipe';
import { prepareRun, type PreparedRun } from './plan/prepare';
import { applyDownloadSettings } from './plan/download-settings';
import { planParts, type Plan } from './plan/plan';
import { checkOffline, offlineMisses } from './plan/offline-check';
import { updateVersionsFile } from './plan/versions';
import { collectSecrets, type Masker } from './plan/secrets';
import { fileChanges, type FileChange } from './plan/file-diffs';
import { executePlan, recoverJournal, type Summary } from './execute/execute';
import { applyRuntime, previousOptions, runtimeReports } from './execute/runtime';

export interface AssembleRequest {
  command: 'install' | 'plan' | 'apply';
  file: string;
  assignments: string[];
  /** `install PART...` / `plan PART...`: only these and the parts they need. */
  parts: string[];
  logger: Logger;
  downloads: () => DownloadService;
  warn: (warning: ZetaError) => void;
  /** Called once the run is prepared, before anything is planned or changed; throws to refuse it (nodesets). */
  check?: (run: PreparedRun) => void;
}

export interface Assembly {
  run: PreparedRun;
  plan: Plan;
  offline: boolean;
  /** plan, offline: the files install would need that the download cache lacks. */
  misses: ZetaError[];
  /** Masks every secret value of this run in what is printed. */
  masker: Masker;
  /** plan: the generated files the plan would change. */
  files: FileChange[];
  /** plan and apply: what the parts' runtime hooks said of the running programs. */
  runtime: Map<string, RuntimeReport>;
  /** install: what was done, and the versions file picked versions were appended to. */
  summary?: Summary;
  versionsFile?: string;
  /** apply: the lines the runtime hooks report done. */
  applied?: string[];
}

export async function assemble(request: AssembleRequest): Promise<Assembly> {
  const { logger, downloads, warn } = request;
  const run = await prepareRun({ ...request, selected: request.parts });
  for (const warning of run.config.warnings) warn(warning);
  request.check?.(run);
  const offline = applyDownloadSettings(run.config.resolver, downloads);
  const masker = collectSecrets(run.parts, (part) => run.config.resolver.options(part), run.state);
  const planNow = (): Plan => planParts(run.order, run.planned, run.state, run.only, masker);
  if (request.command === 'plan') {
    const plan = planNow();
    const files = fileChanges(plan, run.planned, run.state, masker);
    const runtime = await runtimeReports(run, logger);
    const misses = offline ? offlineMisses(plan, run.planned, downloads()) : [];
    return { run, plan, offline, masker, files, runtime, misses };
  }
  // before anything changes, the journal's undo too (the plan is made again after that undo)
  if (offline) checkOffline(planNow(), run.planned, downloads());
  // the hooks compare with the options installed before this run, in apply's second call too
  const previous = previousOptions(run);
  const runtime =
    request.command === 'apply' ? await runtimeReports(run, logger, previous) : new Map<string, RuntimeReport>();
  const { parts, planned, paths, probes, state, stateFile } = run;
  const engine = {
    resolver: run.config.resolver,
    parts,
    planned,
    paths,
    probes,
    state,
    stateFile,
    logger,
    downloads,
    offline,
    masker,
  };
  const undone = recoverJournal(engine);
  if (undone) logger.warn(`a previous run stopped while working on [${undone}]; what it had made was removed`);
  const plan = planNow();
  const summary = await executePlan(plan, engine);
  const versionsFile = updateVersionsFile(run.config.resolver, run.versions);
  const applied = request.command === 'apply' ? await applyRuntime(run, runtime, logger, previous) : undefined;
  return {
    run,
    plan,
    offline,
    masker,
    files: [],
    runtime,
    misses: [],
    summary,
    ...(versionsFile ? { versionsFile } : {}),
    ...(applied ? { applied } : {}),
  };
}
