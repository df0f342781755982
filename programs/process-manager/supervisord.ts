/**
 * bin/supervisord: spawns the deployment's pm2 daemon, starts the agent (panel, monitor, crash
 * policy, log rotation), then the programs in priority order behind their readiness gates. A
 * program that fails its gate stops the start: everything started is stopped again, the daemon
 * goes, and the exit status is 1 with the program's exit code and last log lines.
 * `-n` (--nodaemon) stays in the foreground, with the agent inside it, until SIGTERM or SIGINT,
 * then stops everything in reverse order: for systemd or a container.
 * Programs that an earlier pm2 daemon left running when it died (orphans.ts) cannot be adopted
 * by a new one: they are stopped by pid with their own stop signals first, then everything
 * starts under the new daemon, logged and watched again.
 */
import { AGENT, databaseFile, panelUrl, type SupervisorConfig } from './config';
import { agentApp, Agent } from './agent';
import { daemonPid, LIVE_STATUSES } from './pm2-client';
import { daemonDied } from './pm2-daemon';
import { checkAll, startInOrder, stopInOrder } from './orchestrate';
import { checkEcosystem } from './ecosystem';
import { portHolders } from './proc-info';
import { waitReady } from './readiness';
import { readFileSync } from 'node:fs';
import type { Runtime } from './runtime';
import { makeRuntime, operatorOutput, parseCommandLine, runMain } from './cli-common';
import { cliErrors } from '../../src/errors/factories/cli';
import { processManagerErrors } from '../../src/errors/factories/process-manager';
import { trace } from './trace';
import { StateDb } from './state-db';
import { describeOrphans, findOrphans, stopOrphans } from './orphans';
import type { Operator } from './stop-process';

const USAGE = 'usage: bin/supervisord [-n|--nodaemon]';

/** The last lines of a log, for an error's details (none when it cannot be read). */
function tailOf(file: string, lines: number): string[] {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines);
  } catch {
    return [];
  }
}

async function startAgent(rt: Runtime): Promise<void> {
  const { host, port } = rt.config.panel;
  await rt.pm2.start(agentApp(rt.config));
  const outcome = await waitReady({ kind: 'tcp', host, port }, 15_000, async () => {
    // 'launching' is alive too: under load pm2 may not have marked it online at the first look
    const status = (await rt.pm2.find(AGENT))?.pm2_env.status;
    return status !== undefined && LIVE_STATUSES.has(status);
  });
  if (!outcome.ready) {
    const log = `${rt.config.logDir}/${rt.config.part}-agent.log`;
    const message = `the agent (control panel on ${host}:${port}) did not come up (${outcome.why})`;
    const error = processManagerErrors.startFailed(message, `see ${log}`);
    error.details.push(...tailOf(log, 8));
    throw error;
  }
}

/** Stops what a dead daemon left running, saying so; nothing when there is nothing. */
async function stopLeftovers(config: SupervisorConfig, out: Operator): Promise<void> {
  const db = StateDb.open(databaseFile(config), config.monitor.maxSamples);
  try {
    const orphans = findOrphans(config, db, []);
    if (!orphans.length) return;
    out.say(
      `an earlier pm2 daemon of this deployment died and left ${describeOrphans(orphans)} running: pm2 cannot ` +
        `adopt them, so they are stopped (each with its own stop signal) and everything starts again under a ` +
        `new daemon`,
    );
    await stopOrphans(out, db, orphans);
  } finally {
    db.close();
  }
}

async function teardown(rt: Runtime): Promise<void> {
  await stopInOrder(rt, rt.config.programs);
  await rt.pm2.kill();
}

export async function supervisord(argv: string[]): Promise<number> {
  const { config, args } = parseCommandLine(argv);
  const foreground = args.some((a) => a === '-n' || a === '--nodaemon');
  const unknown = args.filter((a) => !['-n', '--nodaemon', '--debug'].includes(a));
  if (unknown.length) throw cliErrors.badUsage(`unknown argument ${JSON.stringify(unknown[0])}`, USAGE);
  const running = daemonPid(config);
  if (running) throw processManagerErrors.alreadyRunning(config.directory, running);
  // only after a daemon was killed: opening the database here would delay every cold start
  if (daemonDied(config)) await stopLeftovers(config, operatorOutput());
  const holders = portHolders(config.panel.port);
  if (holders.length) {
    throw processManagerErrors.panelPortTaken(config.part, config.panel.host, config.panel.port, holders);
  }
  const programs = config.programs.filter((p) => p.autostart !== false);
  // a stale ecosystem, a missing command or a taken port stops us before any daemon is spawned
  trace('modules loaded');
  checkEcosystem(config, programs);
  await checkAll(undefined, programs);
  trace('checks done');
  const began = Date.now();
  let daemonLost: (pid: number) => void = () => {};
  const lost = new Promise<number>((resolve) => {
    daemonLost = resolve;
  });
  const rt = await makeRuntime(config);
  trace('pm2 daemon connected');
  let agent: Agent | undefined;
  // the agent comes up beside the first programs: waiting for it first would add a node start-up
  let agentUp: Promise<void> = Promise.resolve();
  try {
    if (foreground) {
      agent = new Agent(rt, (pid) => daemonLost(pid));
      await agent.run();
    } else {
      agentUp = startAgent(rt);
      agentUp.catch(() => undefined);
    }
    // checked above, and a daemon spawned since then runs nothing yet
    await startInOrder(rt, programs, { checked: true });
    trace('programs ready');
    await agentUp;
    trace('agent ready');
    rt.say(
      `all ${programs.length} programs ready in ${((Date.now() - began) / 1000).toFixed(2)} s; control panel: ` +
        panelUrl(config.panel),
    );
  } catch (error) {
    rt.progress('');
    rt.say('start failed: stopping what was started');
    agent?.close();
    await agentUp.catch(() => undefined);
    await teardown(rt);
    throw error;
  }
  if (!foreground) return 0;
  const signal = await Promise.race([
    lost,
    new Promise<string>((resolve) => {
      for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(s, () => resolve(s));
    }),
  ]);
  if (typeof signal === 'number') {
    // every pm2 call would hang now: the programs are stopped by pid, and a service manager
    // restarting us on the failure starts them again under a new daemon
    rt.say(`pm2's daemon (pid ${signal}) is gone: stopping the programs it left running, then exiting with status 1`);
    await stopOrphans(rt, rt.db, findOrphans(config, rt.db, []));
    return 1;
  }
  rt.say(`${signal}: stopping every program in reverse order`);
  agent?.close();
  await teardown(rt);
  return 0;
}

if (require.main === module) runMain(() => supervisord(process.argv.slice(2)));
