/**
 * The install and plan commands: prepare (pure), then either print the plan or carry it out,
 * print per-part lines and a summary, and report picked versions. Both take part names: only
 * those parts and the parts they need are planned or installed, and nothing is uninstalled.
 */
import type { Arguments } from '../cli/args';
import { defaultConfigFile, MAX_TIMEOUT, validTimeout } from '../cli/args';
import { optionError } from './part-options';
import { locateOption } from '../config/locate';
import { quoted } from '../errors/codes';
import type { Logger } from '../output/logger';
import type { DownloadService } from '../download/download-service';
import { prepareRun, type PreparedRun } from './prepare';
import { describeReason, planParts, type Plan } from './plan';
import { executePlan, recoverJournal, type Engine } from './execute';
import { checkOffline, offlineMisses } from './offline-check';
import { readJournal } from './state';
import { updateVersionsFile } from './versions';
import { printWarning } from '../errors/print';
import type { ZetaError } from '../errors/zeta-error';

function formatPlan(plan: Plan, run: PreparedRun, logger: Logger): string {
  const { palette } = logger;
  const lines: string[] = [];
  const recipeOf = (part: string): string => run.parts.get(part)?.recipe.spec ?? run.state.parts[part]?.recipe ?? '';
  const journal = readJournal(run.stateFile);
  if (journal) lines.push(palette.yellow(`  undo        ${journal.part}: a previous run stopped while ${journal.mode === 'install' ? 'installing' : 'updating'} it (${journal.paths.length} paths)`));
  for (const part of plan.uninstall) lines.push(`  ${palette.yellow('uninstall'.padEnd(11))} ${part.padEnd(24)} ${palette.dim(recipeOf(part))}  ${palette.dim('(no longer in parts)')}`);
  for (const step of plan.steps) {
    const verb = step.action === 'unchanged' ? 'nothing' : step.action;
    const colour = verb === 'nothing' ? palette.dim : verb === 'reinstall' ? palette.yellow : palette.green;
    lines.push(`  ${colour(verb.padEnd(11))} ${step.part.padEnd(24)} ${palette.dim(recipeOf(step.part))}`);
    if (step.action === 'reinstall') for (const reason of step.reasons) lines.push(`              ${palette.dim('because')} ${describeReason(reason)}`);
    if (step.action === 'install') lines.push(`              ${palette.dim('because it is not installed yet')}`);
  }
  return lines.join('\n');
}

export async function runEngineCommand(args: Arguments, logger: Logger, downloads: () => DownloadService): Promise<number> {
  const file = args.configFile ?? defaultConfigFile();
  const warn = (warning: ZetaError): void => { if (args.verbosity >= 0) printWarning(warning); };
  const run = await prepareRun({ file, assignments: args.assignments, downloads, selected: args.commandArgs, command: args.command, warn });
  for (const warning of run.config.warnings) warn(warning);
  const offline = run.config.resolver.get('buildout', 'offline') === 'true' || run.config.resolver.get('buildout', 'install-from-cache') === 'true';
  if (offline) downloads().settings.offline = true;
  const cache = run.config.resolver.get('buildout', 'download-cache');
  if (cache) downloads().settings.cacheDir = cache;
  const timeout = run.config.resolver.get('buildout', 'socket-timeout')?.trim();
  if (timeout) {
    if (!validTimeout(timeout)) {
      const raw = run.config.resolver.stateOf('buildout')?.raw.get('socket-timeout');
      throw optionError('buildout', 'socket-timeout', `socket-timeout must be a whole number of seconds from 1 to ${MAX_TIMEOUT}, not ${quoted(timeout)}`, 'for example "socket-timeout = 30" (or -t 30).', () => locateOption(raw));
    }
    downloads().settings.timeoutMs = Number(timeout) * 1000;
  }

  if (args.command === 'plan') {
    const plan = planParts(run.order, run.planned, run.state, run.only);
    process.stdout.write(`${formatPlan(plan, run, logger)}\n`);
    if (offline) for (const miss of offlineMisses(plan, run.planned, downloads())) printWarning(miss);
    return 0;
  }
  // before anything changes, the journal's undo too (the plan is made again after that undo)
  if (offline) checkOffline(planParts(run.order, run.planned, run.state, run.only), run.planned, downloads());
  const engine: Engine = {
    resolver: run.config.resolver, parts: run.parts, planned: run.planned, paths: run.paths, probes: run.probes, state: run.state, stateFile: run.stateFile,
    logger, downloads, offline,
  };
  const undone = recoverJournal(engine);
  if (undone) logger.warn(`a previous run stopped while working on [${undone}]; what it had made was removed`);
  const plan = planParts(run.order, run.planned, run.state, run.only);
  const summary = await executePlan(plan, engine);
  const { palette } = logger;
  const counts = [
    summary.installed && `${summary.installed} installed`,
    summary.reinstalled && `${summary.reinstalled} reinstalled`,
    summary.updated && `${summary.updated} updated`,
    summary.unchanged && `${summary.unchanged} unchanged`,
    summary.uninstalled && `${summary.uninstalled} uninstalled`,
  ].filter(Boolean);
  logger.info(palette.bold(`${counts.length ? counts.join(', ') : 'nothing to do'} in ${summary.seconds.toFixed(1)} s`));
  if (run.config.resolver.get('buildout', 'show-picked-versions') === 'true' && run.versions.block) {
    logger.info(`picked versions (add them to your versions file):\n${run.versions.block}`);
  }
  const written = updateVersionsFile(run.config.resolver, run.versions);
  if (written) logger.info(`picked versions appended to ${written}`);
  return 0;
}
