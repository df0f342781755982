/**
 * The agent's process, as pm2 runs it. It lowers its own CPU priority before loading anything:
 * it starts beside the stack's first programs and, being a node process that loads pm2's client,
 * SQLite and the panel, needs about 0.3 s of CPU to come up; at nice 10 it takes what they leave
 * on a busy machine, and a monitor never competes with the services it watches.
 */
import { getPriority, setPriority } from 'node:os';

try {
  if (getPriority() < 10) setPriority(10); // never raise a priority an operator lowered further
} catch {
  // not permitted: run as we are
}
// required after the priority change: loading it is most of the start-up's CPU
// eslint-disable-next-line @typescript-eslint/no-require-imports
(require('./agent') as typeof import('./agent')).agentProcess();
