/**
 * The CLI: parse arguments, load the configuration, run one command. User errors (ZetaError)
 * print with their code frame and exit with their code's status (the catalogue's: 2 for bad
 * input); anything else is a bug and says so (stack with --debug), exit 1. Command modules are
 * loaded only when used, to keep start-up short.
 */
import { parseArguments, HELP, type Arguments } from './args';
import { defaultConfigFile } from '../config/default-file';
import { isZetaError, type ZetaError } from '../errors/zeta-error';
import { cliErrors } from '../errors/factories/cli';
import { printError, printInternalError, printWarning } from '../errors/print';
import { BUG_STATUS } from '../errors/catalogue/status';
import { createLogger } from '../output/logger';
import type { LoadedConfig } from '../config/load-config';
import { loadForInspection } from '../parts/inspect';
import type { DownloadService } from '../download/download-service';

/**
 * Writes a command's whole output to standard output. A synchronous write to the descriptor
 * spares creating process.stdout (a few milliseconds of a short run); a descriptor that is
 * non-blocking (EAGAIN) or closed early (EPIPE) falls back to the stream, which handles both.
 */
function writeOut(text: string): void {
  const { writeSync } = require('node:fs') as typeof import('node:fs');
  const buffer = Buffer.from(text);
  let written = 0;
  try {
    while (written < buffer.length) written += writeSync(1, buffer, written);
  } catch {
    process.stdout.write(buffer.subarray(written));
  }
}

function showWarnings(warnings: ZetaError[], verbosity: number): void {
  if (verbosity < 0) return;
  for (const warning of warnings) printWarning(warning);
}

/** The configuration for annotate and query, with the parts' derived options (src/parts/inspect.ts). */
async function load(args: Arguments, downloads: () => DownloadService): Promise<LoadedConfig> {
  const file = args.configFile ?? defaultConfigFile();
  const inspected = await loadForInspection({ file, assignments: args.assignments, downloads });
  if (args.verbosity > 0) {
    for (const [part, error] of inspected.skipped)
      printWarning(error.while(`inspecting part [${part}]: its derived options are missing`));
    // quiet by default: annotate shows a configuration as it is; plan and install judge it
    for (const warning of inspected.review()) printWarning(warning);
  }
  return inspected;
}

/** plan's own flags among its arguments: --json, --exit-code (or --detailed-exitcode); the rest are parts. */
function planFlags(words: string[]): { parts: string[]; json: boolean; exitCode: boolean } {
  const flags = { parts: [] as string[], json: false, exitCode: false };
  for (const word of words) {
    if (word === '--json') flags.json = true;
    else if (word === '--exit-code' || word === '--detailed-exitcode') flags.exitCode = true;
    else if (word.startsWith('-')) {
      throw cliErrors.badUsage(
        `plan does not know the option "${word}"`,
        'plan takes --json, --exit-code and part names.',
      );
    } else flags.parts.push(word);
  }
  return flags;
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
      const { DownloadService: Service } =
        require('../download/download-service') as typeof import('../download/download-service');
      service = new Service({
        offline: args.assignments.includes('buildout:offline=true'),
        timeoutMs: 30_000,
        retries: 2,
        logger,
      });
    }
    return service;
  };
  try {
    switch (args.command) {
      case 'annotate': {
        const json = args.commandArgs.includes('--json');
        const sections = args.commandArgs.filter((a) => a !== '--json');
        const config = await load(args, downloads);
        showWarnings(config.warnings, args.verbosity);
        const { annotateJson, annotateText } = require('../commands/annotate') as typeof import('../commands/annotate');
        const { paletteForFd } = require('../util/color') as typeof import('../util/color');
        writeOut(
          json ? annotateJson(config, sections) : annotateText(config, paletteForFd(1), args.verbosity > 0, sections),
        );
        return 0;
      }
      case 'query': {
        const config = await load(args, downloads);
        const { query } = require('../commands/query') as typeof import('../commands/query');
        writeOut(query(config, args.commandArgs));
        return 0;
      }
      case 'nodeset': {
        const { parseNodesetArguments } = require('./nodeset-args') as typeof import('./nodeset-args');
        const nodesetArgs = parseNodesetArguments(args.commandArgs);
        const { runNodeset } = require('../commands/nodeset') as typeof import('../commands/nodeset');
        return await runNodeset({
          args: nodesetArgs,
          file: args.configFile ?? defaultConfigFile(),
          assignments: args.assignments,
          verbosity: args.verbosity,
          logger,
          downloads,
          warn: (warning) => showWarnings([warning], args.verbosity),
          write: writeOut,
          color: require('node:tty').isatty(1),
        });
      }
      default: {
        const { assemble } = require('../assemble') as typeof import('../assemble');
        const command = args.command === 'plan' || args.command === 'apply' ? args.command : 'install';
        const warn = (warning: ZetaError): void => showWarnings([warning], args.verbosity);
        const file = args.configFile ?? defaultConfigFile();
        const flags =
          command === 'plan' ? planFlags(args.commandArgs) : { parts: args.commandArgs, json: false, exitCode: false };
        const { assignments } = args;
        const assembly = await assemble({ command, file, assignments, parts: flags.parts, logger, downloads, warn });
        if (command === 'plan') {
          const { buildReport, formatPlan } = require('../commands/plan') as typeof import('../commands/plan');
          const { paletteForFd } = require('../util/color') as typeof import('../util/color');
          const report = buildReport(assembly);
          const text = flags.json
            ? JSON.stringify(report, null, 2)
            : formatPlan(report, paletteForFd(1), args.verbosity > 0);
          writeOut(`${text}\n`);
          for (const miss of assembly.misses) printWarning(miss);
          return flags.exitCode && report.changes ? 3 : 0;
        }
        const { reportInstall } = require('../commands/install') as typeof import('../commands/install');
        reportInstall(assembly, logger);
        return 0;
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
      code = error.status;
    } else {
      printInternalError(error, debug);
      code = BUG_STATUS;
    }
  }
  process.exitCode = code;
}
