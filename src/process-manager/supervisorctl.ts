/**
 * bin/supervisorctl: status [--json], start|stop|restart NAME|type:TYPE|part:PART|all, tail [-f]
 * NAME [stderr], update, shutdown, history NAME [--json] (what names mean: select-programs.ts).
 * Nothing here spawns a pm2 daemon that is not running (status then reports every program
 * stopped), so no command ever leaves a stray daemon.
 */
import { databaseFile, type SupervisorConfig } from './config';
import { daemonPid } from './pm2-client';
import { StateDb } from './state-db';
import { collectStatus, formatStatus } from './status';
import type { Runtime } from './runtime';
import { selectPrograms } from './select-programs';
import { startInOrder, stopInOrder } from './orchestrate';
import { isRunning } from './start-program';
import { makeRuntime, parseCommandLine, runMain } from './cli-common';
import { update } from './update';
import { shutdown } from './shutdown';
import { tail } from './tail';
import { history } from './history';
import { ZetaError } from '../errors/zeta-error';
import { nearest } from '../util/suggest';

const COMMANDS = ['status', 'start', 'stop', 'restart', 'tail', 'update', 'shutdown', 'history'];
const USAGE = 'usage: bin/supervisorctl status [NAME...] [--json] | start|stop|restart NAME|type:TYPE|part:PART|all | tail [-f] NAME [stderr] | update | shutdown | history NAME [--json]';

async function connected(config: SupervisorConfig): Promise<Runtime> {
  if (!daemonPid(config)) {
    throw new ZetaError('NOT_RUNNING', `supervisord is not running for ${config.directory}`, { hint: 'start it with bin/supervisord.' });
  }
  return makeRuntime(config);
}

async function status(config: SupervisorConfig, args: string[]): Promise<number> {
  const names = args.filter((a) => !a.startsWith('--'));
  const wanted = names.length ? new Set(selectPrograms(config, names).map((p) => p.name)) : undefined;
  const running = daemonPid(config) !== undefined;
  const rt = running ? await makeRuntime(config) : undefined;
  const db = rt?.db ?? StateDb.open(databaseFile(config), config.monitor.maxSamples);
  const rows = (await collectStatus(config, rt ? await rt.pm2.list() : [], db)).filter((r) => !wanted || wanted.has(r.name));
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ supervisord: running, programs: rows }, null, 2)}\n`);
  else {
    if (!running) process.stderr.write('supervisord is not running\n');
    process.stdout.write(formatStatus(rows));
  }
  return 0;
}

async function control(config: SupervisorConfig, command: string, args: string[]): Promise<number> {
  const programs = selectPrograms(config, args);
  const rt = await connected(config);
  if (command !== 'start') await stopInOrder(rt, programs);
  if (command === 'stop') return 0;
  const toStart = [];
  for (const program of programs) if (!(await isRunning(rt, program.name))) toStart.push(program);
  await startInOrder(rt, toStart);
  return 0;
}

export async function supervisorctl(argv: string[]): Promise<number> {
  const { config, args } = parseCommandLine(argv);
  const [command = 'status', ...rest] = args.filter((a) => a !== '--debug');
  switch (command) {
    case 'status': return status(config, rest);
    case 'start': case 'stop': case 'restart': return control(config, command, rest);
    case 'tail': return tail(config, rest);
    case 'history': return history(config, rest);
    case 'update': return update(await connected(config));
    case 'shutdown': return daemonPid(config) ? shutdown(await makeRuntime(config)) : (process.stderr.write('supervisord is not running: nothing to shut down\n'), 0);
    default: {
      const suggestion = nearest(command, COMMANDS);
      throw new ZetaError('BAD_USAGE', `unknown command "${command}"`, { hint: `${suggestion ? `did you mean "${suggestion}"? ` : ''}${USAGE}` });
    }
  }
}

if (require.main === module) runMain(() => supervisorctl(process.argv.slice(2)));
