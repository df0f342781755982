/**
 * The context a recipe's install/update/uninstall get: its options, the tree's paths, created()
 * (every registration goes to the journal at once, so even a killed run can be undone), mkdir and
 * writeFile that register what they make, exec, download, substitute, render and a logger.
 */
import { mkdirSync } from 'node:fs';
import { pathExists as exists } from '../util/path-exists';
import * as path from 'node:path';
import type { InstallContext, PartOptions, RecipeLogger, TreePaths, UninstallContext } from '../recipe';
import type { Resolver } from '../config/interpolate';
import type { DownloadService } from '../download/download-service';
import { parseChecksum } from '../download/checksum';
import { writeFileAtomic } from '../util/atomic-write';
import { runCommand } from './exec';
import { renderTemplate } from '../parts/render';
import { optionError, type Locator } from '../parts/part-options';
import type { Logger } from '../output/logger';

export interface ContextDeps {
  name: string;
  options: PartOptions;
  paths: TreePaths;
  resolver: Resolver;
  logger: Logger;
  downloads: () => DownloadService;
  offline: boolean;
  /** The installed part's paths, when a replacesInPlace recipe reinstalls it. */
  previousPaths?: string[];
  locate: Locator;
  /** Called with the full lists whenever a path is registered (the journal). */
  onCreated: (paths: string[], parents: string[]) => void;
  onStep: (step: string) => void;
}

export function recipeLogger(name: string, logger: Logger, onStep: (step: string) => void): RecipeLogger {
  return {
    info: (message) => logger.info(`    ${name}: ${message}`),
    detail: (message) => logger.detail(`    ${name}: ${message}`),
    warn: (message) => logger.warn(`[${name}] ${message}`),
    step: onStep,
  };
}

export interface TrackedContext extends InstallContext {
  /** Directories made only to hold this part's files (removed on uninstall when empty). */
  parentPaths(): string[];
}

export function installContext(deps: ContextDeps): TrackedContext {
  const created: string[] = [];
  const parents: string[] = [];
  const register = (file: string): string => {
    const absolute = path.resolve(deps.paths.directory, file);
    if (!created.includes(absolute)) {
      created.push(absolute);
      deps.onCreated(created.slice(), parents.slice());
    }
    return absolute;
  };
  /** Makes the missing ancestors of `dir` as parents (shared), and `dir` itself as owned if asked. */
  const mkdirs = (dir: string, owned: boolean, mode?: number): string => {
    const absolute = path.resolve(deps.paths.directory, dir);
    const missing: string[] = [];
    for (let at = absolute; !exists(at); at = path.dirname(at)) missing.unshift(at);
    if (!missing.length) return absolute;
    const own = owned ? missing.pop() : undefined;
    for (const parent of missing) if (!parents.includes(parent)) parents.push(parent);
    if (own) register(own);
    else deps.onCreated(created.slice(), parents.slice());
    mkdirSync(absolute, { recursive: true, mode });
    return absolute;
  };
  return {
    name: deps.name,
    options: deps.options,
    paths: deps.paths,
    offline: deps.offline,
    previousPaths: deps.previousPaths?.slice() ?? [],
    log: recipeLogger(deps.name, deps.logger, deps.onStep),
    created: register,
    createdPaths: () => created.slice(),
    parentPaths: () => parents.slice(),
    mkdir: async (dir, mode) => mkdirs(dir, true, mode),
    async writeFile(file, content, options = {}) {
      const absolute = path.resolve(deps.paths.directory, file);
      mkdirs(path.dirname(absolute), false);
      register(absolute);
      writeFileAtomic(absolute, content, options.mode ?? 0o644);
      return absolute;
    },
    exec: (argv, options) => runCommand(argv, options, deps.onStep),
    async download(url, checksum, options = {}) {
      let parsed;
      try {
        parsed = checksum ? parseChecksum(checksum) : undefined;
      } catch (error) {
        throw optionError(
          deps.name,
          options.option ?? 'sha256',
          (error as Error).message,
          'a sha256 checksum is 64 hex digits (sha256sum FILE prints it).',
          deps.locate,
        );
      }
      // a mismatch points at the pin: the option the recipe names, else sha256 / md5sum when set
      const pinned = options.checksumOption ?? (parsed?.algorithm === 'md5' ? 'md5sum' : 'sha256');
      const checksumOption = parsed && (options.checksumOption || deps.options.has(pinned)) ? pinned : undefined;
      const result = await deps.downloads().fetch({
        url,
        checksum: parsed,
        namespace: options.namespace,
        from: deps.locate(options.option ?? 'url'),
        checksumOption,
        checksumFrom: checksumOption ? deps.locate(checksumOption) : undefined,
      });
      return result.path;
    },
    substitute: (text) => deps.resolver.substituteText(deps.name, text),
    render: (template, view, file) => renderTemplate(template, view, file),
    error: (option, message, hint) => optionError(deps.name, option, message, hint, deps.locate),
  };
}

export function uninstallContext(
  deps: Pick<ContextDeps, 'name' | 'options' | 'paths' | 'logger' | 'onStep'>,
): UninstallContext {
  return {
    name: deps.name,
    options: deps.options,
    paths: deps.paths,
    log: recipeLogger(deps.name, deps.logger, deps.onStep),
  };
}
