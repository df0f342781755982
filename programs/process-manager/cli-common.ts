/**
 * What bin/supervisord and bin/supervisorctl share: reading `--config FILE`, building the
 * runtime (pm2 client and database), the operator's output (a progress line rewritten in place
 * on a terminal, throttled lines otherwise), and the exit statuses, the catalogue's: 0 done, 1 a
 * program failed (not ready, still running after shutdown), 2 bad input (unknown name, missing
 * command, port taken, bad usage), 3 pm2's daemon failed, with one paragraph on stderr in the
 * assembler's error format.
 */
import { loadConfig, databaseFile, type SupervisorConfig } from './config';
import { Pm2Client } from './pm2-client';
import { StateDb } from './state-db';
import type { Runtime } from './runtime';
import { isZetaError } from '../../src/errors/zeta-error';
import { printError, printInternalError } from '../../src/errors/print';
import { BUG_STATUS } from '../../src/errors/catalogue';
import { cliErrors } from '../../src/errors/factories/cli';

export function parseCommandLine(argv: string[]): { config: SupervisorConfig; args: string[] } {
  const at = argv.indexOf('--config');
  if (at < 0 || !argv[at + 1]) {
    const hint = 'run the generated bin/supervisord or bin/supervisorctl, which pass it.';
    throw cliErrors.badUsage('missing --config FILE', hint);
  }
  const args = [...argv.slice(0, at), ...argv.slice(at + 2)];
  return { config: loadConfig(argv[at + 1]), args };
}

export function operatorOutput(stream: NodeJS.WriteStream = process.stderr): Pick<Runtime, 'say' | 'progress'> {
  let shown = false;
  let lastPrinted = 0;
  return {
    say(line) {
      if (shown && stream.isTTY) stream.write('\r\x1b[K');
      shown = false;
      stream.write(`${line}\n`);
    },
    progress(line) {
      if (stream.isTTY) {
        stream.write(`\r\x1b[K${line.slice(0, (stream.columns || 120) - 1)}`);
        shown = line !== '';
      } else if (line && Date.now() - lastPrinted >= 1000) {
        // not a terminal (a log, a test): one line a second at most
        lastPrinted = Date.now();
        stream.write(`${line}\n`);
      }
    },
  };
}

export async function makeRuntime(config: SupervisorConfig, output = operatorOutput()): Promise<Runtime> {
  const pm2 = await Pm2Client.connect(config);
  const db = StateDb.open(databaseFile(config), config.monitor.maxSamples);
  return { config, pm2, db, ...output };
}

/** Runs a command's main and exits with its status (pm2 keeps handles open: always exit). */
export function runMain(main: () => Promise<number>): void {
  main().then(
    (status) => process.exit(status),
    (error: unknown) => {
      if (isZetaError(error)) {
        printError(error);
        process.exit(error.status);
      }
      printInternalError(error, process.argv.includes('--debug'));
      process.exit(BUG_STATUS);
    },
  );
}
