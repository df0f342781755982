/**
 * loadForInspection: the configuration as annotate and query show it. The parts named in
 * [buildout] parts (and the sections they reference) run their recipes' options phase, so derived
 * options such as ${nginx-build:location} resolve; a recipe that cannot be loaded (a Python recipe
 * from a buildout file) or whose options are wrong is skipped, not fatal: inspecting a broken
 * configuration must still work. Sections outside the parts are resolved as plain data. The
 * recipe machinery is loaded only when a section with a recipe is met. Unknown options and
 * unused sections are worked out only when asked for (annotate -v).
 */
import { loadConfig, type LoadedConfig, type LoadOptions } from '../config/load-config';
import type { ResolverHooks } from '../config/interpolate';
import type { PartInitializer } from './initialize-parts';
import type { ZetaError } from '../errors/zeta-error';
import { partList as partsOf } from './part-list';

export interface InspectedConfig extends LoadedConfig {
  /** Parts whose recipe could not run, with the reason. */
  skipped: Map<string, ZetaError>;
  /** Unknown options and unused sections, as plan reports them (annotate -v shows them). */
  review(): ZetaError[];
  /** The programs each part that ran its options phase declares (nodesets: which parts run programs). */
  programsOf(): Map<string, string[]>;
}

export async function loadForInspection(options: Omit<LoadOptions, 'hooks'>): Promise<InspectedConfig> {
  let partList: string[] = [];
  let initializer: PartInitializer | undefined;
  let enabled = true;
  const hooks: ResolverHooks = {
    initialize(state, resolver) {
      if (!enabled || !state.raw.has('recipe') || state.name === 'buildout') return;
      if (!initializer) {
        const { PartInitializer: Initializer } = require('./initialize-parts') as typeof import('./initialize-parts');
        initializer = new Initializer(true, () => partList);
        const { readState } = require('../state/state') as typeof import('../state/state');
        const { ProbeCache } = require('./probe-cache') as typeof import('./probe-cache');
        const installed = resolver.get('buildout', 'installed');
        try {
          // read only: inspecting writes nothing
          if (installed) initializer.probes = new ProbeCache(readState(installed).probes);
        } catch {
          // an unreadable state only means asking the binaries again
        }
      }
      initializer.initialize(state, resolver);
    },
  };
  const config = await loadConfig({ ...options, hooks });
  partList = partsOf(config.resolver);
  for (const name of partList) if (config.resolver.hasSection(name)) config.resolver.section(name);
  enabled = false;
  // what the parts reached, before annotate resolves every section
  const reached = [...config.resolver.initialized];
  const review = (): ZetaError[] => {
    const { unknownOptions } = require('./unknown-options') as typeof import('./unknown-options');
    const { findUnusedSections } = require('./unused-sections') as typeof import('./unused-sections');
    const parts = initializer?.parts ?? new Map();
    return [
      ...unknownOptions(config.resolver, parts, initializer?.used ?? new Set(), reached),
      ...findUnusedSections(config.data, config.resolver, reached, initializer?.asked ?? []),
    ];
  };
  const programsOf = (): Map<string, string[]> => {
    const programs = new Map<string, string[]>();
    for (const info of initializer?.parts.values() ?? [])
      programs.set(
        info.name,
        info.programs.map((p) => p.name),
      );
    return programs;
  };
  return { ...config, skipped: initializer?.skipped ?? new Map(), review, programsOf };
}
