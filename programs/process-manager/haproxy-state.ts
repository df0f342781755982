/**
 * haproxy's reload keeps the servers' states. A worker started by SIGUSR2 gives every server the
 * lowest health that still counts as UP: until its first check (spread over `inter`), one slow
 * or failed check takes a server DOWN at once instead of after `fall` of them, and with every
 * server DOWN the backend answers 503. So, before the signal, the running worker's `show servers
 * state` goes to the file the config names (`server-state-file`, read by the new worker through
 * `load-server-state-from-file global`), and the new worker starts with the health, weights and
 * drain states the old one had. Only servers whose address is unchanged are kept: the state file
 * would otherwise give a server its old address. Once the new worker answers, the file is
 * emptied again, so a later start of haproxy does not read an old state.
 */
import { writeFileSync, renameSync } from 'node:fs';
import type { Address } from '../../src/recipe';
import { haproxyCommand } from './haproxy-api';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

const EMPTY = '1\n';
const NEW_WORKER_TIMEOUT_MS = 10_000;

export interface StatefulBalancer {
  socket: string;
  stateFile?: string;
  servers: Array<{ name: string } & Address>;
}

function writeAtomically(file: string, text: string): void {
  const temporary = `${file}.${process.pid}`;
  writeFileSync(temporary, text, { mode: 0o644 });
  renameSync(temporary, file);
}

/** The lines of `show servers state` for servers of `next` with the same address (version line kept). */
export function keepUnchanged(dump: string, next: StatefulBalancer['servers']): string {
  const lines = dump.split('\n');
  // the first line is the format's version, 1 in haproxy 2.x; another format is not kept
  if (lines[0]?.trim() !== '1') return EMPTY;
  const wanted = new Set(next.map((s) => `${s.name} ${s.host} ${s.port}`));
  const kept = lines.filter((line) => {
    if (!/^\d+ /.test(line)) return false;
    const fields = line.split(' ');
    // be_id be_name srv_id srv_name srv_addr ... srv_port is the 19th field (version 1)
    return wanted.has(`${fields[3]} ${fields[4]} ${fields[18]}`);
  });
  return ['1', ...kept].join('\n') + '\n';
}

async function workerPid(socket: string): Promise<string | undefined> {
  const info = await haproxyCommand(socket, 'show info').catch(() => '');
  return /^Pid: (\d+)/m.exec(info)?.[1];
}

/** Writes the running worker's server states for the new one; returns the old worker's pid. */
export async function saveServerState(balancer: StatefulBalancer): Promise<string | undefined> {
  if (!balancer.stateFile) return undefined;
  const before = await workerPid(balancer.socket);
  const dump = await haproxyCommand(balancer.socket, 'show servers state').catch(() => '');
  writeAtomically(balancer.stateFile, dump ? keepUnchanged(dump, balancer.servers) : EMPTY);
  return before;
}

/** Waits (bounded) until a new worker answers on the socket, then empties the state file. */
export async function finishStatefulReload(balancer: StatefulBalancer, oldWorker: string | undefined): Promise<void> {
  if (!balancer.stateFile) return;
  try {
    const began = Date.now();
    for (;;) {
      const now = await workerPid(balancer.socket);
      if (!oldWorker || (now !== undefined && now !== oldWorker)) return;
      if (Date.now() - began > NEW_WORKER_TIMEOUT_MS)
        throw processManagerErrors.startFailed(
          `haproxy's new worker did not answer on ${balancer.socket} within ${NEW_WORKER_TIMEOUT_MS / 1000} s of the reload (the old worker ${oldWorker} still does)`,
        );
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  } finally {
    writeAtomically(balancer.stateFile, EMPTY);
  }
}
