/**
 * `supervisorctl update`, after a re-assembly: programs no longer configured are stopped (with
 * the stop signal they were started with) and forgotten; new ones are started behind their
 * readiness gates; a running program whose command, environment or settings changed is
 * restarted; one whose only change is in its configuration files is reloaded when its daemon
 * can (ProgramSpec.reload: nginx, haproxy, varnish), else restarted; the rest is left alone.
 */
import { execFile } from 'node:child_process';
import { AGENT, type Program } from './config';
import { agentApp } from './agent';
import { configFilesHash, specHash, type Runtime } from './runtime';
import { isRunning, startProgram } from './start-program';
import { stopProgram } from './stop-program';
import { checkAll, startInOrder } from './orchestrate';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

async function reload(rt: Runtime, program: Program): Promise<void> {
  const proc = await rt.pm2.find(program.name);
  if (program.reload?.command) {
    const [file, ...args] = program.reload.command;
    await new Promise<void>((resolve, reject) => execFile(file, args, { timeout: 30_000 }, (error, _out, stderr) => (error
      ? reject(processManagerErrors.startFailed(`reloading ${program.name} with ${program.reload!.command!.join(' ')} `
        + `failed: ${stderr.trim() || error.message}`))
      : resolve())));
  } else if (proc?.pid) {
    process.kill(proc.pid, (program.reload?.signal ?? 'SIGHUP') as NodeJS.Signals);
  }
  rt.db.setControl(program.name, { spec: JSON.stringify(program), spec_hash: specHash(program), config_hash: configFilesHash(program) });
  rt.db.event(program.name, 'reload', program.reload?.command ? program.reload.command.join(' ') : program.reload?.signal ?? 'SIGHUP');
}

export async function update(rt: Runtime): Promise<number> {
  const { config, db } = rt;
  const names = new Set(config.programs.map((p) => p.name));
  const summary: string[] = [];
  for (const control of db.controls().filter((c) => !names.has(c.name))) {
    if (control.spec) await stopProgram(rt, JSON.parse(control.spec) as Program);
    if (await rt.pm2.find(control.name)) await rt.pm2.delete(control.name);
    db.forget(control.name);
    summary.push(`removed ${control.name}`);
  }
  const added: Program[] = [];
  const unchanged: string[] = [];
  for (const program of config.programs) {
    const control = db.control(program.name);
    if (!control?.spec) {
      if (program.autostart !== false) added.push(program);
      continue;
    }
    if (control.desired !== 'running' || !(await isRunning(rt, program.name))) { unchanged.push(program.name); continue; }
    const specChanged = control.spec_hash !== specHash(program);
    const filesChanged = control.config_hash !== configFilesHash(program);
    if (!specChanged && !filesChanged) { unchanged.push(program.name); continue; }
    if (!specChanged && program.reload) {
      await reload(rt, program);
      summary.push(`reloaded ${program.name} (its configuration files changed)`);
      continue;
    }
    await stopProgram(rt, JSON.parse(control.spec) as Program);
    await checkAll(rt, [program]);
    await startProgram(rt, program);
    summary.push(`restarted ${program.name} (${specChanged ? 'its program settings changed' : 'its configuration files changed; it cannot reload'})`);
  }
  if (added.length) {
    await startInOrder(rt, added);
    summary.push(`started ${added.map((p) => p.name).join(', ')} (new)`);
  }
  // the agent reads the program list when it starts: a fresh one (pm2's restart of an app that
  // is waiting for its own restart fails with "Process with pid ... already exists")
  if (await rt.pm2.find(AGENT)) {
    await rt.pm2.delete(AGENT);
    await rt.pm2.start(agentApp(config));
  }
  for (const line of summary) rt.say(`update: ${line}`);
  rt.say(`update: unchanged: ${unchanged.join(', ') || '(none)'}`);
  return 0;
}
