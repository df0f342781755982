/**
 * bin/supervisord: spawns the deployment's pm2 daemon, starts the agent (panel, monitor, crash
 * policy, log rotation), then the programs in priority order behind their readiness gates. A
 * program that fails its gate stops the start: everything started is stopped again, the daemon
 * goes, and the exit status is 1 with the program's exit code and last log lines.
 * `-n` (--nodaemon) stays in the foreground, with the agent inside it, until SIGTERM or SIGINT,
 * then stops everything in reverse order: for systemd or a container.
 */
import { AGENT } from './config';
import { agentApp, Agent } from './agent';
import { daemonPid } from './pm2-client';
import { checkAll, startInOrder, stopInOrder } from './orchestrate';
import { portHolders } from './proc-info';
import { waitReady } from './readiness';
import type { Runtime } from './runtime';
import { makeRuntime, parseCommandLine, runMain } from './cli-common';
import { ZetaError } from '../errors/zeta-error';
import { trace } from './trace';

const USAGE = 'usage: bin/supervisord [-n|--nodaemon]';

async function startAgent(rt: Runtime): Promise<void> {
  const { host, port } = rt.config.panel;
  await rt.pm2.start(agentApp(rt.config));
  const outcome = await waitReady({ kind: 'tcp', host, port }, 15_000, async () => (await rt.pm2.find(AGENT))?.pm2_env.status === 'online');
  if (!outcome.ready) throw new ZetaError('START_FAILED', `the agent (control panel on ${host}:${port}) did not come up`, { hint: `see ${rt.config.logDir}/${rt.config.part}-agent.log` });
}

async function teardown(rt: Runtime): Promise<void> {
  await stopInOrder(rt, rt.config.programs);
  await rt.pm2.kill();
}

export async function supervisord(argv: string[]): Promise<number> {
  const { config, args } = parseCommandLine(argv);
  const foreground = args.some((a) => a === '-n' || a === '--nodaemon');
  const unknown = args.filter((a) => !['-n', '--nodaemon', '--debug'].includes(a));
  if (unknown.length) throw new ZetaError('BAD_USAGE', `unknown argument ${JSON.stringify(unknown[0])}`, { hint: USAGE });
  const running = daemonPid(config);
  if (running) {
    throw new ZetaError('ALREADY_RUNNING', `supervisord is already running for ${config.directory} (pm2 daemon pid ${running})`, {
      hint: 'use bin/supervisorctl status, or bin/supervisorctl shutdown first.',
    });
  }
  const holders = portHolders(config.panel.port);
  if (holders.length) {
    throw new ZetaError('PORT_TAKEN', `the control panel cannot listen on ${config.panel.host}:${config.panel.port}: taken by ${holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ')}`, {
      section: config.part, option: 'port', hint: 'stop that process or give the supervisor part another port.',
    });
  }
  const programs = config.programs.filter((p) => p.autostart !== false);
  // a missing command or a taken port stops us before any daemon is spawned
  trace('modules loaded');
  await checkAll(undefined, programs);
  trace('checks done');
  const began = Date.now();
  const rt = await makeRuntime(config);
  trace('pm2 daemon connected');
  let agent: Agent | undefined;
  // the agent comes up beside the first programs: waiting for it first would add a node start-up
  let agentUp: Promise<void> = Promise.resolve();
  try {
    if (foreground) {
      agent = new Agent(rt);
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
    rt.say(`all ${programs.length} programs ready in ${((Date.now() - began) / 1000).toFixed(2)} s; control panel: http://${config.panel.host}:${config.panel.port}/`);
  } catch (error) {
    rt.progress('');
    rt.say('start failed: stopping what was started');
    agent?.close();
    await agentUp.catch(() => undefined);
    await teardown(rt);
    throw error;
  }
  if (!foreground) return 0;
  const signal = await new Promise<string>((resolve) => {
    for (const s of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) process.once(s, () => resolve(s));
  });
  rt.say(`${signal}: stopping every program in reverse order`);
  agent?.close();
  await teardown(rt);
  return 0;
}

if (require.main === module) runMain(() => supervisord(process.argv.slice(2)));
