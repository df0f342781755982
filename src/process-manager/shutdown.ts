/**
 * `supervisorctl shutdown`: every program stopped in reverse priority order with its own signal,
 * then the agent and the pm2 daemon; then a check that nothing is left: no process of ours alive
 * and no port of ours listening. Anything left is named (exit status 1).
 */
import { AGENT, type Program } from './config';
import { alive, listeningTable, portHolders, portListening } from './proc-info';
import { daemonPid } from './pm2-client';
import { stopInOrder } from './orchestrate';
import type { Runtime } from './runtime';
import { ZetaError } from '../errors/zeta-error';

export async function shutdown(rt: Runtime): Promise<number> {
  const began = Date.now();
  const { config, db } = rt;
  // programs removed from the configuration but still running are stopped too
  const removed = db.controls().filter((c) => c.spec && !config.programs.some((p) => p.name === c.name)).map((c) => JSON.parse(c.spec!) as Program);
  const processes = await rt.pm2.list();
  const pids = processes.map((p) => p.pid).filter((pid) => pid > 0);
  const daemon = daemonPid(config);
  if (daemon) pids.push(daemon);
  await stopInOrder(rt, [...config.programs, ...removed]);
  if (processes.some((p) => p.name === AGENT)) await rt.pm2.delete(AGENT);
  await rt.pm2.kill();
  const ports = [...new Set([config.panel.port, ...config.programs.flatMap((p) => p.listen.map((a) => a.port))])];
  const deadline = Date.now() + 5000;
  let left: string[] = [];
  do {
    const listening = listeningTable();
    left = [
      ...pids.filter(alive).map((pid) => `pid ${pid}`),
      ...ports.filter((port) => portListening(port, listening)).map((port) => `port ${port} (${portHolders(port, listening).map((h) => `pid ${h.pid} ${h.command}`).join(', ') || 'holder unknown'})`),
    ];
    if (!left.length) break;
    await new Promise((r) => setTimeout(r, 50));
  } while (Date.now() < deadline);
  if (left.length) throw new ZetaError('LEFT_RUNNING', `after shutdown these are still there: ${left.join('; ')}`, { hint: 'kill them by pid; see the programs\' logs for why they did not stop.' });
  rt.say(`shut down in ${((Date.now() - began) / 1000).toFixed(2)} s: no program running, no port of this deployment listening`);
  return 0;
}
