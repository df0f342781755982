/**
 * The agent: the long-running half of the process manager. bin/supervisord runs it as a pm2 app
 * (or in its own process with -n). It applies the crash-loop policy (pm2's event bus tells it of
 * every exit), takes the monitor's samples, rotates the logs, and serves the control panel.
 * It watches pm2's daemon too: once the daemon is gone (killed), every pm2 call would hang, so
 * the agent stops and says so; the programs live on as orphans (orphans.ts).
 */
import { appendFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Server } from 'node:http';
import { agentLog, AGENT, panelUrl, type SupervisorConfig } from './config';
import { CrashPolicy } from './crash-policy';
import { Monitor } from './monitor';
import { rotateLogs } from './log-rotation';
import type { Runtime } from './runtime';
import { makeRuntime, parseCommandLine, runMain } from './cli-common';
import { startPanel } from './panel/server';
import { daemonPid } from './pm2-client';
import { identify } from './process-identity';

const POLICY_TICK_MS = 250;
const ROTATE_TICK_MS = 2000;
const DAEMON_CHECK_MS = 500;

export class Agent {
  private timers: NodeJS.Timeout[] = [];
  private server?: Server;
  private readonly policy: CrashPolicy;
  private readonly monitor: Monitor;

  /** `onDaemonLost`: pm2's daemon (this pid) is gone; the agent has stopped its loops. */
  constructor(
    private readonly rt: Runtime,
    private readonly onDaemonLost: (pid: number) => void = () => {},
  ) {
    this.policy = new CrashPolicy(rt);
    this.monitor = new Monitor(rt);
  }

  async run(): Promise<void> {
    const bus = await this.rt.pm2.bus();
    bus.on('process:event', (packet) => {
      if (packet.event !== 'exit') return;
      try {
        const signal = packet.process.exit_signal ?? null;
        this.policy.onExit(packet.process.name, { code: signal ? null : (packet.process.exit_code ?? null), signal });
      } catch (error) {
        // e.g. the database busy beyond its timeout: tick() notices the exit later
        this.rt.say(`agent: handling the exit of ${packet.process.name}: ${(error as Error).message}`);
      }
    });
    this.every(POLICY_TICK_MS, () => this.policy.tick());
    this.every(this.rt.config.monitor.intervalMs, () => this.monitor.tick());
    this.every(ROTATE_TICK_MS, () => this.rotate());
    this.watchDaemon();
    await this.monitor.tick();
    this.server = await startPanel(this.rt);
  }

  /** A timer of its own: the loops above may be stuck in a pm2 call to the dead daemon. */
  private watchDaemon(): void {
    const pid = daemonPid(this.rt.config);
    if (!pid) return;
    const timer = setInterval(() => {
      if (daemonPid(this.rt.config) === pid) return;
      this.close();
      this.onDaemonLost(pid);
    }, DAEMON_CHECK_MS);
    this.timers.push(timer);
  }

  /** A loop that never overlaps itself and survives its own errors (they go to the agent's log). */
  private every(ms: number, body: () => Promise<unknown>): void {
    let busy = false;
    this.timers.push(
      setInterval(() => {
        if (busy) return;
        busy = true;
        body()
          .catch((error: Error) => this.rt.say(`agent: ${error.message}`))
          .finally(() => {
            busy = false;
          });
      }, ms),
    );
  }

  private async rotate(): Promise<void> {
    await rotateLogs(this.rt);
  }

  close(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.server?.close();
    this.server?.closeAllConnections();
  }
}

/** The agent as a pm2 app of the deployment's daemon. */
export function agentApp(config: SupervisorConfig): Record<string, unknown> {
  return {
    name: AGENT,
    script: path.join(__dirname, 'agent-main.js'),
    args: ['--config', config.file],
    interpreter: process.execPath,
    exec_mode: 'fork',
    // pm2 would load its metrics library (@pm2/io, ~70 ms of CPU) into the agent, which uses none
    pmx: false,
    cwd: config.directory,
    autorestart: true,
    min_uptime: 5000,
    max_restarts: 10,
    restart_delay: 1000,
    kill_timeout: 5000,
    out_file: agentLog(config),
    error_file: agentLog(config),
    merge_logs: true,
    time: true,
  };
}

/** Now as pm2 stamps its log lines (`time: true`): local time, 2026-01-31T23:59:59. */
function localTime(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

/** The agent's own process (agent-main.ts): runs until SIGTERM or SIGINT, or until pm2's daemon is gone. */
export function agentProcess(): void {
  runMain(async () => {
    const { config } = parseCommandLine(process.argv.slice(2));
    const rt = await makeRuntime(config, { say: (line) => console.log(line), progress: () => {} });
    // who the agent is, so that it is found and stopped even if pm2's daemon dies under it
    const self = identify(process.pid);
    if (self) rt.db.recordProcess(AGENT, self);
    // a long-running daemon: a stray rejection is logged, not fatal (pm2 would restart us anyway)
    process.on('unhandledRejection', (reason) =>
      rt.say(`agent: unhandled: ${(reason as Error)?.message ?? String(reason)}`),
    );
    let daemonLost: (pid: number) => void = () => {};
    const lost = new Promise<number>((resolve) => {
      daemonLost = resolve;
    });
    const agent = new Agent(rt, (pid) => daemonLost(pid));
    await agent.run();
    rt.say(`agent: monitoring ${config.programs.length} programs; panel on ` + panelUrl(config.panel));
    const stopped = new Promise<undefined>((resolve) => {
      for (const signal of ['SIGTERM', 'SIGINT'] as const)
        process.once(signal, () => {
          agent.close();
          resolve(undefined);
        });
    });
    const gone = await Promise.race([lost, stopped]);
    if (gone === undefined) return 0;
    // stdout was a pipe to the dead daemon: write to the log file itself
    appendFileSync(
      agentLog(config),
      `${localTime()}: agent: pm2's daemon (pid ${gone}) is gone; the programs run on without it ` +
        '(bin/supervisorctl status shows them; bin/supervisord stops them and starts everything again under a ' +
        'new daemon); the agent exits\n',
    );
    return 1;
  });
}
