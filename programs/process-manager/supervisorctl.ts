/**
 * bin/supervisorctl: status [--json], start|stop|restart NAME|type:TYPE|part:PART|all, tail [-f]
 * NAME [stderr], update, shutdown, history NAME [--json] (what names mean: select-programs.ts).
 * Nothing here spawns a pm2 daemon that is not running, so no command ever leaves a stray
 * daemon; without one, status, stop and shutdown still see (and stop) the programs a dead
 * daemon left running, from their recorded identities (orphans.ts).
 */
import { databaseFile, type Program, type SupervisorConfig } from './config';
import { daemonPid } from './pm2-client';
import { StateDb } from './state-db';
import { collectStatus, formatStatus, type StatusRow } from './status';
import type { Runtime } from './runtime';
import { selectPrograms } from './select-programs';
import { startInOrder, stopInOrder } from './orchestrate';
import { isRunning } from './start-program';
import { makeRuntime, operatorOutput, parseCommandLine, runMain } from './cli-common';
import { planWithoutDaemon, update } from './update';
import { shutdown, shutdownWithoutDaemon } from './shutdown';
import { describeOrphans, findOrphans, stopOrphans, type Orphan } from './orphans';
import { tail } from './tail';
import { history } from './history';
import { logs } from './logs';
import { leastLoaded, type Pool } from './least-loaded';
import { allNodeViews } from './nodes-view';
import { readAgentToken } from './panel/agent-token';
import type { ZetaError } from '../../src/errors/zeta-error';
import { cliErrors } from '../../src/errors/factories/cli';
import { processManagerErrors } from '../../src/errors/factories/process-manager';
import { nearest } from '../../src/util/suggest';

const COMMANDS = ['status', 'start', 'stop', 'restart', 'tail', 'update', 'shutdown', 'history', 'logs', 'pid'];
const USAGE =
  'usage: bin/supervisorctl status [NAME...] [--json] [--all-nodes] | start|stop|restart NAME|type:TYPE|part:PART|all | tail ' +
  '[-f] NAME [stderr] | update [--plan] [--json] | shutdown | history NAME [--json] | logs [NAME...] [--since 10m] [--grep RE] [--json] [-f] | pid';

function openDb(config: SupervisorConfig): StateDb {
  return StateDb.open(databaseFile(config), config.monitor.maxSamples);
}

/** What a dead pm2 daemon left running, for messages (empty when nothing). */
function orphansWithoutDaemon(config: SupervisorConfig): Orphan[] {
  const db = openDb(config);
  try {
    return findOrphans(config, db, []);
  } finally {
    db.close();
  }
}

function notRunning(config: SupervisorConfig, orphans: Orphan[]): ZetaError {
  if (!orphans.length) return processManagerErrors.notRunning(config.directory);
  return processManagerErrors.notRunningWithOrphans(config.directory, describeOrphans(orphans));
}

async function connected(config: SupervisorConfig): Promise<Runtime> {
  if (!daemonPid(config)) throw notRunning(config, orphansWithoutDaemon(config));
  return makeRuntime(config);
}

async function status(config: SupervisorConfig, args: string[]): Promise<number> {
  const names = args.filter((a) => !a.startsWith('--'));
  const wanted = names.length ? new Set(selectPrograms(config, names).map((p) => p.name)) : undefined;
  const running = daemonPid(config) !== undefined;
  const rt = running ? await makeRuntime(config) : undefined;
  const db = rt?.db ?? openDb(config);
  const processes = rt ? await rt.pm2.list() : [];
  const rows = (await collectStatus(config, processes, db)).filter((r) => !wanted || wanted.has(r.name));
  const orphans = findOrphans(config, db, processes);
  if (args.includes('--all-nodes'))
    return allNodes(config, rows, await leastLoaded(config, rows, db), args.includes('--json'));
  if (args.includes('--json')) {
    const all = wanted ? await collectStatus(config, processes, db) : rows;
    const pools = await leastLoaded(config, all, db);
    const orphaned = orphans.map((o) => ({ name: o.name, pid: o.pid }));
    process.stdout.write(
      `${JSON.stringify({ supervisord: running, orphans: orphaned, programs: rows, pools }, null, 2)}\n`,
    );
    return 0;
  }
  if (!running)
    process.stderr.write(
      orphans.length
        ? `${notRunning(config, orphans).message}\n  hint: ${notRunning(config, orphans).hint}\n`
        : 'supervisord is not running\n',
    );
  process.stdout.write(formatStatus(rows));
  // as zopectl and the LSB's `status`: 3 when the daemon or a listed program is not running
  return running && rows.every((r) => r.state === 'RUNNING') ? 0 : 3;
}

/** `status --all-nodes`: this node's programs, then each peer's, grouped by node. */
async function allNodes(config: SupervisorConfig, rows: StatusRow[], pools: Pool[], json: boolean): Promise<number> {
  const nodes = await allNodeViews(config, readAgentToken(config), rows, pools);
  const [here, ...peers] = nodes;
  if (json) {
    process.stdout.write(`${JSON.stringify({ nodes }, null, 2)}\n`);
    return 0;
  }
  const about = (n: { role?: string | null; release?: string | null }): string =>
    [n.role, n.release].filter(Boolean).join(', ');
  const out = [
    `== ${here.name} (${[about(here), 'this node'].filter(Boolean).join(', ')})`,
    formatStatus(rows).trimEnd(),
  ];
  for (const peer of peers) {
    out.push(
      `== ${peer.name} (${[about(peer), peer.url].filter(Boolean).join(', ')})${peer.up ? '' : `: DOWN: ${peer.reason}`}`,
    );
    if (peer.up) out.push(formatStatus(peer.programs as unknown as StatusRow[]).trimEnd());
  }
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

/** `stop` without a daemon: what the dead daemon left running is stopped by pid. */
async function stopWithoutDaemon(config: SupervisorConfig, programs: Program[]): Promise<number> {
  const db = openDb(config);
  try {
    const orphans = findOrphans(config, db, []);
    if (!orphans.length) throw notRunning(config, orphans);
    const chosen = orphans.filter((o) => programs.some((p) => p.name === o.name));
    const out = operatorOutput();
    for (const program of programs)
      if (!chosen.some((o) => o.name === program.name)) out.say(`${program.name} is not running`);
    await stopOrphans(out, db, chosen);
    return 0;
  } finally {
    db.close();
  }
}

async function control(config: SupervisorConfig, command: string, args: string[]): Promise<number> {
  const programs = selectPrograms(config, args);
  if (command === 'stop' && !daemonPid(config)) return stopWithoutDaemon(config, programs);
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
    case 'status':
      return status(config, rest);
    case 'start':
    case 'stop':
    case 'restart':
      return control(config, command, rest);
    case 'tail':
      return tail(config, rest);
    case 'history':
      return history(config, rest);
    case 'logs':
      return logs(config, rest);
    case 'update':
      if (rest.includes('--plan') && !daemonPid(config)) return planWithoutDaemon(config, rest);
      return update(await connected(config), rest);
    case 'pid': {
      // as supervisor's: the daemon's pid; here exit status 3 when it is not running (scripts branch on it)
      const pid = daemonPid(config);
      process.stdout.write(pid ? `${pid}\n` : 'supervisord is not running\n');
      return pid ? 0 : 3;
    }
    case 'shutdown':
      return daemonPid(config) ? shutdown(await makeRuntime(config)) : shutdownWithoutDaemon(config, operatorOutput());
    default: {
      const suggestion = nearest(command, COMMANDS);
      const hint = `${suggestion ? `did you mean "${suggestion}"? ` : ''}${USAGE}`;
      throw cliErrors.badUsage(`unknown command "${command}"`, hint);
    }
  }
}

if (require.main === module) runMain(() => supervisorctl(process.argv.slice(2)));
