/**
 * `supervisorctl shutdown`: every program stopped in reverse priority order with its own signal,
 * then the agent and the pm2 daemon; then a check that nothing is left: no process of ours alive
 * and no port of ours listening. Anything left is named (exit status 1). Without a daemon (it
 * died), the programs it left running are found from their recorded identities and stopped by
 * pid the same way (orphans.ts).
 */
import { AGENT, databaseFile, type Program, type SupervisorConfig } from './config';
import { alive, listeningTable, portHolders, portListening } from './proc-info';
import { daemonPid } from './pm2-client';
import { stopInOrder } from './orchestrate';
import { describeOrphans, findOrphans, stopOrphans } from './orphans';
import type { Runtime } from './runtime';
import type { Operator } from './stop-process';
import { StateDb } from './state-db';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

/** Waits up to 5 s for the pids to be gone and the deployment's ports free; names what is left. */
async function checkNothingLeft(config: SupervisorConfig, pids: number[]): Promise<void> {
  const ports = [...new Set([config.panel.port, ...config.programs.flatMap((p) => p.listen.map((a) => a.port))])];
  const deadline = Date.now() + 5000;
  let left: string[] = [];
  do {
    const listening = listeningTable();
    left = [
      ...pids.filter(alive).map((pid) => `pid ${pid}`),
      ...ports
        .filter((port) => portListening(port, listening))
        .map(
          (port) =>
            `port ${port} (${
              portHolders(port, listening)
                .map((h) => `pid ${h.pid} ${h.command}`)
                .join(', ') || 'holder unknown'
            })`,
        ),
    ];
    if (!left.length) return;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  throw processManagerErrors.leftRunning(left);
}

export async function shutdown(rt: Runtime): Promise<number> {
  const began = Date.now();
  const { config, db } = rt;
  // programs removed from the configuration but still running are stopped too
  const removed = db
    .controls()
    .filter((c) => c.spec && !config.programs.some((p) => p.name === c.name))
    .map((c) => JSON.parse(c.spec!) as Program);
  const processes = await rt.pm2.list();
  const pids = processes.map((p) => p.pid).filter((pid) => pid > 0);
  const daemon = daemonPid(config);
  if (daemon) pids.push(daemon);
  await stopInOrder(rt, [...config.programs, ...removed]);
  // anything an earlier daemon left (its agent, say) that the stops above did not cover
  const orphans = findOrphans(config, db, await rt.pm2.list());
  await stopOrphans(rt, db, orphans);
  if (processes.some((p) => p.name === AGENT)) await rt.pm2.delete(AGENT);
  await rt.pm2.kill();
  await checkNothingLeft(config, [...pids, ...orphans.map((o) => o.pid)]);
  rt.say(
    `shut down in ${((Date.now() - began) / 1000).toFixed(2)} s: no program running, no port of this ` +
      `deployment listening`,
  );
  return 0;
}

/** `shutdown` when pm2's daemon is not running: stops what a dead daemon left running, if anything. */
export async function shutdownWithoutDaemon(config: SupervisorConfig, out: Operator): Promise<number> {
  const began = Date.now();
  const db = StateDb.open(databaseFile(config), config.monitor.maxSamples);
  try {
    const orphans = findOrphans(config, db, []);
    if (!orphans.length) {
      out.say('supervisord is not running: nothing to shut down');
      return 0;
    }
    out.say(
      `supervisord is not running, but its pm2 daemon died and left ${describeOrphans(orphans)} running: ` +
        `stopping them by pid, each with its own stop signal`,
    );
    await stopOrphans(out, db, orphans);
    await checkNothingLeft(
      config,
      orphans.map((o) => o.pid),
    );
    out.say(
      `shut down in ${((Date.now() - began) / 1000).toFixed(2)} s: no program running, no port of this ` +
        `deployment listening`,
    );
    return 0;
  } finally {
    db.close();
  }
}
