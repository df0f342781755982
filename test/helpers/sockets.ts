/**
 * The sockets a set of process groups listens on (TCP and UDP), from `ss`: what the end-to-end
 * test compares with the addresses the configuration names.
 */
import { spawnSync } from 'node:child_process';
import { statFields } from '../../programs/process-manager/proc-info';

export interface Listener {
  protocol: 'tcp' | 'udp';
  address: string;
  process: string;
  pid: number;
}

function processGroup(pid: number): number | undefined {
  try {
    return Number(statFields(pid)[2]);
  } catch {
    return undefined;
  }
}

/** Every listening TCP socket and bound UDP socket of the processes in these groups. */
export function listenersOf(groups: number[]): Listener[] {
  const wanted = new Set(groups);
  return listeners((pid) => {
    const group = processGroup(pid);
    return group !== undefined && wanted.has(group);
  });
}

/** The same for these processes (a process manager's tree, say). */
export function listenersOfPids(pids: number[]): Listener[] {
  const wanted = new Set(pids);
  return listeners((pid) => wanted.has(pid));
}

function listeners(wanted: (pid: number) => boolean): Listener[] {
  const result = spawnSync('ss', ['-H', '-l', '-n', '-t', '-u', '-p'], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ss failed: ${result.stderr}`);
  const listeners: Listener[] = [];
  for (const line of result.stdout.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 6) continue;
    for (const match of line.matchAll(/\("([^"]+)",pid=(\d+),fd=\d+\)/g)) {
      const pid = Number(match[2]);
      if (wanted(pid)) {
        listeners.push({ protocol: fields[0] === 'udp' ? 'udp' : 'tcp', address: fields[4], process: match[1], pid });
      }
    }
  }
  return listeners;
}
