/**
 * executePlan: carries out a plan part by part. Uninstalls of removed parts first (reverse
 * install order); then in install order: a changed part is uninstalled just before it is
 * reinstalled (or, when its recipe replacesInPlace, reinstalled over the installed one, which
 * stays until the new install succeeded), a new part installed, an unchanged one updated. The
 * state is written after every part; a part's install is journalled path by path, so a
 * failure - or a kill - undoes exactly that part, and every part finished before it stays
 * recorded.
 */
import * as path from 'node:path';
import type { Plan, PlannedPart, Step } from '../plan/plan';
import { describeReason } from '../plan/plan';
import { recordedDeclarations } from '../plan/explain';
import type { Masker } from '../plan/secrets';
import {
  clearJournal,
  readJournal,
  writeJournal,
  writeState,
  type InstalledState,
  type PartRecord,
} from '../state/state';
import { installContext, uninstallContext } from './install-context';
import { makePartOptions } from '../parts/part-options';
import { removeEmptyParents, removeRecordedPaths } from './remove-paths';
import { wrapRecipeError, type PartInfo } from '../parts/initialize-parts';
import { loadRecipe } from '../parts/recipe-loader';
import type { Resolver } from '../config/interpolate';
import type { TreePaths } from '../recipe';
import type { Logger } from '../output/logger';
import type { DownloadService } from '../download/download-service';
import { locateOption } from '../config/locate';
import { killRunningCommands } from './exec';
import type { ProbeCache } from '../parts/probe-cache';
import { installErrors } from '../errors/codes';
import { EXIT } from '../errors/catalogue/status';

export interface Engine {
  /** Values recipes worked out from files; saved with the state. */
  probes?: ProbeCache;
  resolver: Resolver;
  parts: Map<string, PartInfo>;
  planned: Map<string, PlannedPart>;
  paths: TreePaths;
  state: InstalledState;
  stateFile: string;
  logger: Logger;
  downloads: () => DownloadService;
  offline: boolean;
  /** Masks secrets in what install prints and in the explanations it records. */
  masker: Masker;
}

export interface Summary {
  installed: number;
  reinstalled: number;
  updated: number;
  unchanged: number;
  uninstalled: number;
  seconds: number;
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

let interrupted = false;

function onInterrupt(): void {
  if (interrupted) process.exit(EXIT.interrupted); // second ^C: leave; the journal lets the next run undo
  interrupted = true;
  process.stderr.write('\ninterrupted: stopping the current part and undoing it (^C again to quit at once)\n');
  killRunningCommands();
}

/** Removes an installed part's paths and its record, and writes the state at once. */
function forgetPart(engine: Engine, part: string, record: PartRecord): void {
  removeRecordedPaths(record.paths, engine.paths.directory, part);
  removeEmptyParents(record.parents);
  delete engine.state.parts[part];
  engine.state.order = engine.state.order.filter((p) => p !== part);
  writeState(engine.stateFile, engine.state);
}

/** Rolls back a part whose install or update a previous run did not finish. */
export function recoverJournal(engine: Engine): string | undefined {
  const journal = readJournal(engine.stateFile);
  if (!journal) return undefined;
  const record = engine.state.parts[journal.part];
  // an interrupted replacing reinstall: the installed part's own paths stay, with its record
  const kept = journal.mode === 'replace' && record ? record : undefined;
  removeRecordedPaths(
    journal.paths.filter((p) => !kept?.paths.includes(p)),
    engine.paths.directory,
    journal.part,
  );
  removeEmptyParents((journal.parents ?? []).filter((p) => !kept?.parents.includes(p)));
  if (journal.mode === 'update' && record) forgetPart(engine, journal.part, record);
  clearJournal(engine.stateFile);
  return journal.part;
}

function progress(engine: Engine, verb: string, part: string): { step: (s: string) => void; stop: () => void } {
  const started = Date.now();
  let current = '';
  const draw = (): void =>
    engine.logger.progress(`${verb} ${part}${current ? `: ${current}` : ''}  (${seconds(started)})`);
  // the elapsed time is redrawn only on a terminal, and only for parts that take a while
  let timer: NodeJS.Timeout | undefined;
  const start = (): void => {
    if (timer || !engine.logger.interactive) return;
    timer = setInterval(draw, 500);
    timer.unref();
  };
  return {
    step: (s) => {
      current = s;
      start();
      draw();
    },
    stop: () => {
      if (timer) clearInterval(timer);
      engine.logger.clearProgress();
    },
  };
}

function optionsOf(engine: Engine, part: string) {
  const state = engine.resolver.stateOf(part);
  return makePartOptions(
    part,
    () => engine.resolver.options(part),
    (option) => locateOption(state?.raw.get(option)),
  );
}

async function uninstallPart(engine: Engine, part: string, record: PartRecord): Promise<void> {
  const spinner = progress(engine, 'uninstalling', part);
  try {
    let recipe;
    try {
      recipe = loadRecipe(record.recipe, engine.paths.directory, part, { section: part }).recipe;
    } catch {
      engine.logger.detail(`    ${part}: its recipe ${record.recipe} is gone; removing its paths only`);
    }
    if (recipe?.uninstall) {
      const options = makePartOptions(
        part,
        () => new Map(Object.entries(record.options)),
        () => undefined,
      );
      try {
        await recipe.uninstall(
          uninstallContext({ name: part, options, paths: engine.paths, logger: engine.logger, onStep: spinner.step }),
        );
      } catch (error) {
        throw wrapRecipeError(error, part, record.recipe, 'uninstalling');
      }
    }
    forgetPart(engine, part, record);
  } finally {
    spinner.stop();
  }
}

/** Whether a reinstall can build beside the installed part instead of uninstalling it first. */
function replacesInPlace(engine: Engine, part: string, record: PartRecord): boolean {
  const { recipe } = engine.parts.get(part)!;
  return !!recipe.recipe.replacesInPlace && (record.identity === recipe.identity || record.recipe === recipe.spec);
}

/** After a replacing reinstall: removes the old part's paths the new one did not take over. */
function retire(engine: Engine, part: string, old: PartRecord, now: PartRecord): void {
  const related = (a: string, b: string): boolean =>
    a === b || a.startsWith(`${b}${path.sep}`) || b.startsWith(`${a}${path.sep}`);
  removeRecordedPaths(
    old.paths.filter((p) => !now.paths.some((q) => related(p, q))),
    engine.paths.directory,
    part,
  );
  removeEmptyParents(old.parents.filter((p) => !now.parents.includes(p)));
}

/** `replacing`: the installed record a replacesInPlace recipe reinstalls over (kept until it succeeds). */
async function runRecipe(
  engine: Engine,
  part: string,
  mode: 'install' | 'update',
  replacing?: PartRecord,
): Promise<void> {
  const info = engine.parts.get(part)!;
  const spec = info.recipe.spec;
  const record = engine.state.parts[part];
  const spinner = progress(engine, mode === 'install' ? 'installing' : 'updating', part);
  const state = engine.resolver.stateOf(part);
  const ctx = installContext({
    name: part,
    options: optionsOf(engine, part),
    paths: engine.paths,
    resolver: engine.resolver,
    logger: engine.logger,
    downloads: engine.downloads,
    offline: engine.offline,
    previousPaths: replacing?.paths,
    locate: (option) => locateOption(state?.raw.get(option)),
    onCreated: (paths, parents) =>
      writeJournal(engine.stateFile, { part, mode: replacing ? 'replace' : mode, paths, parents }),
    onStep: spinner.step,
  });
  // install: journal at once, so even a kill before the first created() is undone as an
  // install; update: journal only once it registers something (a no-op update writes nothing)
  if (mode === 'install')
    writeJournal(engine.stateFile, { part, mode: replacing ? 'replace' : mode, paths: [], parents: [] });
  try {
    if (interrupted) throw installErrors.interrupted();
    const method = mode === 'install' ? info.recipe.recipe.install : info.recipe.recipe.update!;
    // what this run's options phase worked out for the part (undefined for a recipe that returns nothing)
    const returned = (await method.call(info.recipe.recipe, ctx, info.prepared)) ?? [];
    if (interrupted) throw installErrors.interrupted();
    // an update that made nothing leaves the record as it is: the plan found nothing changed
    if (mode === 'update' && record && !returned.length && !ctx.createdPaths().length && !ctx.parentPaths().length)
      return;
    const paths = [
      ...new Set([
        ...(mode === 'update' && record ? record.paths : []),
        ...ctx.createdPaths(),
        ...returned.map((p) => path.resolve(engine.paths.directory, p)),
      ]),
    ];
    // a replacing reinstall takes over the directories the installed part had made for it
    const parents = [
      ...new Set([
        ...(mode === 'update' && record ? record.parents : []),
        ...(replacing?.parents ?? []),
        ...ctx.parentPaths(),
      ]),
    ];
    const updated: PartRecord = {
      recipe: spec,
      identity: info.recipe.identity,
      version: info.recipe.version,
      options: Object.fromEntries(engine.resolver.options(part)),
      inputs: Object.fromEntries(info.inputs),
      reads: Object.fromEntries(engine.planned.get(part)?.reads ?? []),
      paths,
      parents,
      programs: info.programs,
      ...recordedDeclarations(info, engine.masker),
      installedAt: mode === 'update' && record ? record.installedAt : new Date().toISOString(),
    };
    const changed = !record || JSON.stringify(record) !== JSON.stringify(updated) || !engine.state.order.includes(part);
    if (changed) {
      engine.state.parts[part] = updated;
      if (!engine.state.order.includes(part)) engine.state.order.push(part);
      writeState(engine.stateFile, engine.state);
    }
    if (replacing) retire(engine, part, replacing, updated);
    if (mode === 'install' || ctx.createdPaths().length || ctx.parentPaths().length) clearJournal(engine.stateFile);
  } catch (error) {
    spinner.stop();
    // a failed replacing reinstall leaves the installed part as it was: its paths and its record
    removeRecordedPaths(
      ctx.createdPaths().filter((p) => !replacing?.paths.includes(p)),
      engine.paths.directory,
      part,
    );
    removeEmptyParents(ctx.parentPaths().filter((p) => !replacing?.parents.includes(p)));
    if (mode === 'update' && record) {
      // a failed update leaves the part in an unknown state: drop it, the next run installs it afresh
      forgetPart(engine, part, record);
    }
    clearJournal(engine.stateFile);
    // a command the interrupt killed fails too: the run's failure is the interrupt
    const failure = interrupted ? installErrors.interrupted() : error;
    const wrapped = wrapRecipeError(failure, part, spec, mode === 'install' ? 'installing' : 'updating');
    if (replacing)
      wrapped.details.push(
        `the installed [${part}] is kept as it was and still recorded, so the parts using it keep working; the ` +
          `next run tries this reinstall again`,
      );
    throw wrapped;
  } finally {
    spinner.stop();
  }
}

function line(engine: Engine, verb: string, part: string, recipe: string, time?: string, note?: string): void {
  const { palette } = engine.logger;
  const colour = verb === 'uninstall' ? palette.yellow : verb === 'unchanged' ? palette.dim : palette.green;
  engine.logger.info(
    `  ${colour(verb.padEnd(10))} ${part.padEnd(24)} ` +
      `${palette.dim(recipe.padEnd(14))}${time ? ` ${time.padStart(7)}` : ''}${note ? palette.dim(`  ${note}`) : ''}`,
  );
}

export async function executePlan(plan: Plan, engine: Engine): Promise<Summary> {
  const started = Date.now();
  const summary: Summary = { installed: 0, reinstalled: 0, updated: 0, unchanged: 0, uninstalled: 0, seconds: 0 };
  if (engine.probes) engine.state.probes = engine.probes.toJSON(); // written with every state write
  process.on('SIGINT', onInterrupt);
  process.on('SIGTERM', onInterrupt);
  try {
    for (const part of plan.uninstall) {
      const record = engine.state.parts[part];
      const t = Date.now();
      await uninstallPart(engine, part, record);
      line(engine, 'uninstall', part, record.recipe, seconds(t));
      summary.uninstalled++;
    }
    for (const step of plan.steps) await runStep(engine, step, summary);
  } finally {
    process.off('SIGINT', onInterrupt);
    process.off('SIGTERM', onInterrupt);
  }
  // a run that changed nothing but learnt something new (a daemon upgraded) keeps it for the next
  if (engine.probes?.dirty && engine.state.order.length) writeState(engine.stateFile, engine.state);
  summary.seconds = (Date.now() - started) / 1000;
  return summary;
}

async function runStep(engine: Engine, step: Step, summary: Summary): Promise<void> {
  const recipe = engine.parts.get(step.part)!.recipe.spec;
  const t = Date.now();
  switch (step.action) {
    case 'install':
      await runRecipe(engine, step.part, 'install');
      line(engine, 'install', step.part, recipe, seconds(t));
      summary.installed++;
      return;
    case 'reinstall': {
      const record = engine.state.parts[step.part];
      if (replacesInPlace(engine, step.part, record)) {
        await runRecipe(engine, step.part, 'install', record);
      } else {
        await uninstallPart(engine, step.part, record);
        await runRecipe(engine, step.part, 'install');
      }
      line(
        engine,
        'reinstall',
        step.part,
        recipe,
        seconds(t),
        describeReason(step.reasons[0], engine.masker) +
          (step.reasons.length > 1 ? ` (+${step.reasons.length - 1} more)` : ''),
      );
      for (const reason of step.reasons.slice(1))
        engine.logger.detail(`             ${describeReason(reason, engine.masker)}`);
      summary.reinstalled++;
      return;
    }
    case 'update':
      await runRecipe(engine, step.part, 'update');
      line(engine, 'update', step.part, recipe, seconds(t));
      summary.updated++;
      return;
    case 'unchanged':
      if (engine.logger.verbosity > 0) line(engine, 'unchanged', step.part, recipe);
      summary.unchanged++;
  }
}
