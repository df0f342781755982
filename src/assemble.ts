/**
 * assemble: one run's stages, wired. Prepare (load the configuration, run every part's options
 * phase, check the programs and pins, read the installed state), then plan; `plan` stops there,
 * `install` undoes an interrupted run, executes the plan part by part (recording the state after
 * each) and appends picked versions. Printing is the commands' job (src/commands/).
 */
import type { Logger } from './output/logger';
import type { DownloadService } from './download/download-service';
import type { ZetaError } from './errors/zeta-error';
import { prepareRun, type PreparedRun } from './plan/prepare';
import { applyDownloadSettings } from './plan/download-settings';
import { planParts, type Plan } from './plan/plan';
import { checkOffline, offlineMisses } from './plan/offline-check';
import { updateVersionsFile } from './plan/versions';
import { executePlan, recoverJournal, type Summary } from './execute/execute';

export interface AssembleRequest {
  command: 'install' | 'plan';
  file: string;
  assignments: string[];
  /** `install PART...` / `plan PART...`: only these and the parts they need. */
  parts: string[];
  logger: Logger;
  downloads: () => DownloadService;
  warn: (warning: ZetaError) => void;
}

export interface Assembly {
  run: PreparedRun;
  plan: Plan;
  offline: boolean;
  /** plan, offline: the files install would need that the download cache lacks. */
  misses: ZetaError[];
  /** install: what was done, and the versions file picked versions were appended to. */
  summary?: Summary;
  versionsFile?: string;
}

export async function assemble(request: AssembleRequest): Promise<Assembly> {
  const { logger, downloads, warn } = request;
  const run = await prepareRun({ ...request, selected: request.parts });
  for (const warning of run.config.warnings) warn(warning);
  const offline = applyDownloadSettings(run.config.resolver, downloads);
  const planNow = (): Plan => planParts(run.order, run.planned, run.state, run.only);
  if (request.command === 'plan') {
    const plan = planNow();
    return { run, plan, offline, misses: offline ? offlineMisses(plan, run.planned, downloads()) : [] };
  }
  // before anything changes, the journal's undo too (the plan is made again after that undo)
  if (offline) checkOffline(planNow(), run.planned, downloads());
  const { parts, planned, paths, probes, state, stateFile } = run;
  const engine = { resolver: run.config.resolver, parts, planned, paths, probes, state, stateFile, logger, downloads, offline };
  const undone = recoverJournal(engine);
  if (undone) logger.warn(`a previous run stopped while working on [${undone}]; what it had made was removed`);
  const plan = planNow();
  const summary = await executePlan(plan, engine);
  const versionsFile = updateVersionsFile(run.config.resolver, run.versions);
  return { run, plan, offline, misses: [], summary, ...(versionsFile ? { versionsFile } : {}) };
}
