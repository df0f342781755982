/**
 * prepareRun: the stages before anything is touched, shared by install and plan: load the
 * configuration with the options phase of every part, check the parts list, build the part graph
 * and its order, check the programs and the version pins, read the installed state.
 */
import * as path from 'node:path';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import type { Resolver } from '../config/interpolate';
import type { ZetaError } from '../errors/zeta-error';
import { checkUnknownOptions } from '../parts/unknown-options';
import { findUnusedSections } from '../parts/unused-sections';
import { PartInitializer, type PartInfo } from '../parts/initialize-parts';
import { buildPartGraph, installOrder, withDependencies, type PartGraph } from './part-graph';
import { checkPrograms } from './check-programs';
import { checkAccess } from './check-access';
import { checkVersions, type VersionReport } from './versions';
import { readState, type InstalledState } from '../state/state';
import { ProbeCache } from '../parts/probe-cache';
import { treePaths } from '../parts/tree-paths';
import { partList as partsOf } from '../parts/part-list';
import { engineErrors } from '../errors/codes';
import { errors as configErrors } from '../errors/codes';
import { locateInValue } from '../config/locate';
import { nearest } from '../util/suggest';
import type { TreePaths } from '../recipe';
import type { DownloadService } from '../download/download-service';
import type { PlannedPart } from './plan';

export interface PreparedRun {
  config: LoadedConfig;
  parts: Map<string, PartInfo>;
  graph: PartGraph;
  order: string[];
  only?: Set<string>;
  planned: Map<string, PlannedPart>;
  paths: TreePaths;
  state: InstalledState;
  stateFile: string;
  versions: VersionReport;
  probes: ProbeCache;
}

export interface PrepareOptions {
  file: string;
  assignments: string[];
  downloads: () => DownloadService;
  /** `install PART...` / `plan PART...`: only these and what they need. */
  selected?: string[];
  /** The command, for the error about a name that is not a part. */
  command?: string;
  /** Hears each warning as soon as it is found (before a later error could end the run). */
  warn?: (warning: ZetaError) => void;
}

/** A name given to install or plan that is no part: what it is instead, and the nearest part. */
function notAPartError(name: string, command: string, resolver: Resolver, parts: Map<string, PartInfo>): Error {
  const names = [...parts.keys()];
  let why: string | undefined;
  if (resolver.hasSection(name))
    why = resolver.data.get(name)!.has('recipe')
      ? 'the section has a recipe, but neither [buildout] parts nor a part refers to it'
      : 'it is a section without a recipe';
  return engineErrors.unknownPart(name, command, names, why ? undefined : nearest(name, names), why);
}

export async function prepareRun(options: PrepareOptions): Promise<PreparedRun> {
  let partList: string[] = [];
  const initializer = new PartInitializer(false, () => partList);
  const config = await loadConfig({
    file: options.file,
    assignments: options.assignments,
    downloads: options.downloads,
    hooks: initializer,
    trackOptions: true,
  });
  const { resolver } = config;
  const paths = treePaths(resolver);
  const stateFile = resolver.get('buildout', 'installed') || path.join(paths.directory, '.installed.json');
  const state = readState(stateFile);
  initializer.probes = new ProbeCache(state.probes); // what earlier runs asked the binaries
  partList = partsOf(resolver);
  const partsValue = resolver.stateOf('buildout')?.raw.get('parts');
  const where = (name: string) => ({ location: locateInValue(partsValue, name), section: 'buildout', option: 'parts' });
  for (const name of partList) {
    if (!resolver.hasSection(name))
      throw configErrors.missingSection(`parts = ... ${name}`, name, where(name), nearest(name, config.data.keys()));
    resolver.section(name);
    if (!initializer.parts.has(name)) throw engineErrors.notAPart(name, where(name));
  }
  initializer.enabled = false;
  const parts = initializer.parts;
  const warn = options.warn ?? ((warning: ZetaError) => config.warnings.push(warning));
  checkUnknownOptions(resolver, parts, initializer.used, warn);
  for (const unused of findUnusedSections(config.data, resolver, resolver.initialized, initializer.asked)) warn(unused);
  const graph = buildPartGraph(resolver, parts);
  const order = installOrder([...partList, ...parts.keys()], graph, (part, need) => {
    for (const [option, value] of resolver.stateOf(part)?.raw ?? []) {
      const location = locateInValue(value, option === '<part-dependencies>' ? need : `\${${need}:`);
      if (location)
        return {
          ref: `[${part}] ${option === '<part-dependencies>' ? '=>' : option}`,
          where: { location, section: part, option },
        };
    }
    return undefined;
  });
  let only: Set<string> | undefined;
  if (options.selected?.length) {
    for (const name of options.selected)
      if (!parts.has(name)) throw notAPartError(name, options.command ?? 'install', resolver, parts);
    only = withDependencies(options.selected, graph);
  }
  const programs = [...parts.values()].flatMap((p) => p.programs);
  const problems = [...checkPrograms(programs), ...checkAccess(programs, paths.directory)];
  if (problems.length) throw configErrors.parseFailed(problems);
  const versions = checkVersions(resolver, parts);
  const planned = new Map<string, PlannedPart>();
  for (const [name, info] of parts) {
    const reads = new Map<string, string>();
    for (const key of resolver.stateOf(name)?.referencedOptions ?? []) {
      const colon = key.indexOf(':');
      const value = resolver.get(key.slice(0, colon), key.slice(colon + 1));
      if (value !== undefined) reads.set(key, value);
    }
    planned.set(name, { info, options: resolver.options(name), reads });
  }
  return { config, parts, graph, order, only, planned, paths, state, stateFile, versions, probes: initializer.probes };
}
