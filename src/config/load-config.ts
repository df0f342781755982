/**
 * loadConfig: the configuration stages wired together. read + parse + extend/merge (extends.ts),
 * command-line overrides (overrides.ts), [buildout] defaults and directories
 * (buildout-defaults.ts), then a Resolver (interpolate.ts) that substitutes lazily, and
 * [buildout]'s own finishing (finish-buildout.ts).
 * Nothing here touches the output tree.
 */
import * as path from 'node:path';
import { cloneSection, newValue, DEFAULT_ORIGIN, type ConfigData } from './model';
import { resolveExtends } from './extends';
import { updateData } from './merge';
import { parseOverrides } from './overrides';
import { defaultBuildoutSection, prepareBuildoutSection } from './buildout-defaults';
import { finishBuildoutSection } from './finish-buildout';
import { Resolver, type ResolverHooks } from './interpolate';
import type { ZetaError } from '../errors/zeta-error';
import type { DownloadService } from '../download/download-service';
import { isUrl } from '../util/url';

export interface LoadOptions {
  /** The root configuration file (path or URL). */
  file: string;
  /** Command-line assignments, `section:option=value`. */
  assignments?: string[];
  downloads?: () => DownloadService;
  hooks?: ResolverHooks;
  /** Track which options of other sections each section reads (for the parts engine). */
  trackOptions?: boolean;
  /** For tests: the Resolver's nesting limit (0 runs every child as a frame on its stack). */
  nestingLimit?: number;
}

export interface LoadedConfig {
  file: string;
  /** Merged raw data with every value's history (what `annotate` prints). */
  data: ConfigData;
  resolver: Resolver;
  warnings: ZetaError[];
}

function bool(value: string | undefined, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  return value === 'true';
}

export async function loadConfig(options: LoadOptions): Promise<LoadedConfig> {
  const warnings: ZetaError[] = [];
  const file = isUrl(options.file) ? options.file : path.resolve(options.file);
  const overrides = parseOverrides(options.assignments ?? [], warnings);
  const directory = isUrl(file) ? process.cwd() : path.dirname(file);
  const data: ConfigData = new Map([['buildout', defaultBuildoutSection(directory)]]);
  const fromFiles = await resolveExtends(path.dirname(file), file, {
    downloadOptions: cloneSection(data.get('buildout')!),
    overrides: overrides.get('buildout') ?? new Map(),
    warnings,
    remote: (dl) => ({
      downloads: options.downloads,
      extendsCache: dl.get('extends-cache')?.value || undefined,
      newest: bool(dl.get('newest')?.value, false) && !bool(dl.get('offline')?.value, false),
    }),
  });
  updateData(data, fromFiles);
  updateData(data, overrides);
  const buildout = data.get('buildout')!;
  if (!buildout.has('versions')) {
    buildout.set('versions', newValue('versions', DEFAULT_ORIGIN));
    if (!data.has('versions')) data.set('versions', new Map());
  }
  prepareBuildoutSection(buildout);
  const resolver = new Resolver(data, options.hooks, options.nestingLimit);
  resolver.trackOptions = options.trackOptions ?? false;
  finishBuildoutSection(resolver);
  return { file, data, resolver, warnings };
}
