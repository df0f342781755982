/**
 * The CLI: parse arguments, load the configuration, run one command. User errors (ZetaError)
 * print with their code frame and exit 2; anything else is a bug and says so (stack with
 * --debug). Command modules are loaded only when used, to keep start-up short.
 */
import { parseArguments, defaultConfigFile, HELP, type Arguments } from './args';
import { isZetaError, type ZetaError } from '../errors/zeta-error';
import { printError, printInternalError, printWarning } from '../errors/print';
import { createLogger } from '../output/logger';
import { loadConfig, type LoadedConfig } from '../config/load-config';
import type { DownloadService } from '../download/download-service';

function showWarnings(warnings: ZetaError[], verbosity: number): void {
  if (verbosity < 0) return;
  for (const warning of warnings) printWarning(warning);
}

async function load(args: Arguments, downloads: () => DownloadService): Promise<LoadedConfig> {
  const file = args.configFile ?? defaultConfigFile();
  return loadConfig({ file, assignments: args.assignments, downloads });
}

/**
 * Loads with the options phase of the parts a value needs: a value may be derived by a recipe
 * (${varnish:socket}), as install sees it and as zc.buildout's query does (it initialises parts).
 */
async function loadWithParts(args: Arguments, downloads: () => DownloadService): Promise<LoadedConfig> {
  const { PartInitializer } = require('../engine/initialize-parts') as typeof import('../engine/initialize-parts');
  let partList: string[] = [];
  const initializer = new PartInitializer(true, () => partList);
  const config = await loadConfig({ file: args.configFile ?? defaultConfigFile(), assignments: args.assignments, downloads, hooks: initializer });
  partList = (config.resolver.get('buildout', 'parts') ?? '').split(/\s+/).filter(Boolean);
  return config;
}

async function run(argv: string[]): Promise<number> {
  const args = parseArguments(argv);
  if (args.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (args.version) {
    process.stdout.write(`${require('../../../package.json').version}\n`);
    return 0;
  }
  const logger = createLogger(args.verbosity);
  // created on first use: most runs never download, and loading it costs start-up time
  let service: DownloadService | undefined;
  const downloads = (): DownloadService => {
    if (!service) {
      const { DownloadService: Service } = require('../download/download-service') as typeof import('../download/download-service');
      service = new Service({ offline: args.assignments.includes('buildout:offline=true'), timeoutMs: 30_000, retries: 2, logger });
    }
    return service;
  };
  try {
    switch (args.command) {
      case 'annotate': {
        const json = args.commandArgs.includes('--json');
        const sections = args.commandArgs.filter((a) => a !== '--json');
        const { annotateJson, annotateText } = require('../commands/annotate') as typeof import('../commands/annotate');
        const annotate = (config: LoadedConfig): string => (json ? annotateJson(config, sections) : annotateText(config, logger.palette, args.verbosity > 0, sections));
        let config = await load(args, downloads);
        let text: string;
        try {
          text = annotate(config);
        } catch (error) {
          // the configuration as written, without recipes, is what annotate shows; only when a
          // value refers to one a recipe derives (${varnish:socket}) do the parts run their
          // options phase (so configurations that resolve without recipes print as before)
          if (!isZetaError(error) || error.code !== 'MISSING_OPTION') throw error;
          config = await loadWithParts(args, downloads);
          text = annotate(config);
        }
        showWarnings(config.warnings, args.verbosity);
        process.stdout.write(text);
        return 0;
      }
      case 'query': {
        const config = await loadWithParts(args, downloads);
        const { query } = require('../commands/query') as typeof import('../commands/query');
        process.stdout.write(query(config, args.commandArgs));
        return 0;
      }
      default: {
        const { runEngineCommand } = require('../engine/run-command') as typeof import('../engine/run-command');
        return await runEngineCommand(args, logger, downloads);
      }
    }
  } finally {
    if (service) {
      service.dispose();
      const { closeHttp } = require('../download/http') as typeof import('../download/http');
      await closeHttp();
    }
  }
}

export async function main(argv: string[]): Promise<void> {
  const debug = argv.includes('--debug') || argv.includes('-D');
  let code: number;
  try {
    code = await run(argv);
  } catch (error) {
    if (isZetaError(error)) {
      printError(error, process.stderr, debug);
      code = 2;
    } else {
      printInternalError(error, debug);
      code = 1;
    }
  }
  process.exitCode = code;
}
