/**
 * Reloading a running program in place: its reload command (varnishreload: vcl.load, vcl.use)
 * or its reload signal to its main process (nginx SIGHUP, haproxy SIGUSR2). The new settings
 * and configuration fingerprint are recorded, so the next plan sees nothing left to do.
 */
import { execFile } from 'node:child_process';
import type { Program } from './config';
import { configFilesHash, specHash, type Runtime } from './runtime';
import { processManagerErrors } from '../../src/errors/factories/process-manager';
import { finishStatefulReload, saveServerState } from './haproxy-state';

function run(program: Program, command: string[]): Promise<void> {
  const [file, ...args] = command;
  return new Promise((resolve, reject) =>
    execFile(file, args, { timeout: 30_000 }, (error, _out, stderr) =>
      error
        ? reject(
            processManagerErrors.startFailed(
              `reloading ${program.name} with ${command.join(' ')} failed: ${stderr.trim() || error.message}`,
            ),
          )
        : resolve(),
    ),
  );
}

export async function reloadProgram(rt: Runtime, program: Program): Promise<void> {
  if (program.reload?.command) {
    await run(program, program.reload.command);
  } else {
    const proc = await rt.pm2.find(program.name);
    // haproxy: the new worker starts from the old one's server states (haproxy-state.ts)
    const oldWorker = program.balancer && proc?.pid ? await saveServerState(program.balancer) : undefined;
    if (proc?.pid) process.kill(proc.pid, (program.reload?.signal ?? 'SIGHUP') as NodeJS.Signals);
    if (program.balancer && proc?.pid) await finishStatefulReload(program.balancer, oldWorker);
  }
  rt.db.setControl(program.name, {
    spec: JSON.stringify(program),
    spec_hash: specHash(program),
    config_hash: configFilesHash(rt.config, program),
  });
  rt.db.event(
    program.name,
    'reload',
    program.reload?.command ? program.reload.command.join(' ') : (program.reload?.signal ?? 'SIGHUP'),
  );
}
