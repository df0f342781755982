/**
 * `supervisorctl update [--plan] [--json]`, after a re-assembly: the runtime plan of the new
 * configuration against what runs (runtime-plan.ts), carried out exactly (apply-plan.ts):
 * removed programs drained and stopped, new ones started, programs whose configuration files
 * changed reloaded where their daemon can, restarted (one instance at a time behind haproxy)
 * where their process's settings changed, by priority; the rest is left alone. `--plan` prints
 * the plan and changes nothing; `--json` prints the plan, or what was done, as JSON on stdout.
 */
import { AGENT } from './config';
import { agentApp } from './agent';
import type { Runtime } from './runtime';
import { applyPlan } from './apply-plan';
import { planRuntime, runtimeReport, type RuntimePlan } from './runtime-plan';
import { configHashes, readRunningState, runningProgram } from './runtime-state';
import { describeChange, describeDone } from './update-lines';
import type { SupervisorFile } from './format';

/** The plan from the database and pm2 of the running stack. */
export function currentPlan(rt: Runtime): RuntimePlan {
  const programs = rt.db.controls().map((c) => runningProgram(c, rt.db.recordedProcess(c.name)));
  return planRuntime(
    { running: true, programs },
    rt.config.programs,
    configHashes(rt.config.programs, undefined, rt.config),
  );
}

/** `update --plan` when supervisord is not running: what it will start. */
export function planWithoutDaemon(config: SupervisorFile, args: string[]): number {
  const plan = planRuntime(readRunningState(config), config.programs, {});
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify(runtimeReport(plan), null, 2)}\n`);
  else for (const change of plan.changes) process.stdout.write(`${describeChange(change)}\n`);
  return 0;
}

export async function update(rt: Runtime, args: string[] = []): Promise<number> {
  const plan = currentPlan(rt);
  if (args.includes('--plan')) {
    if (args.includes('--json')) process.stdout.write(`${JSON.stringify(runtimeReport(plan), null, 2)}\n`);
    else for (const change of plan.changes) process.stdout.write(`${describeChange(change)}\n`);
    return 0;
  }
  for (const change of plan.changes)
    if (change.action !== 'untouched') rt.say(`update: plan: ${describeChange(change)}`);
  const done = await applyPlan(rt, plan);
  // the agent reads the program list when it starts: a fresh one (pm2's restart of an app that
  // is waiting for its own restart fails with "Process with pid ... already exists")
  if (await rt.pm2.find(AGENT)) {
    await rt.pm2.delete(AGENT);
    await rt.pm2.start(agentApp(rt.config));
  }
  for (const change of done.filter((d) => d.action !== 'untouched')) rt.say(`update: ${describeDone(change)}`);
  rt.say(
    `update: unchanged: ${
      done
        .filter((d) => d.action === 'untouched')
        .map((d) => d.program)
        .join(', ') || '(none)'
    }`,
  );
  if (args.includes('--json')) process.stdout.write(`${JSON.stringify({ done }, null, 2)}\n`);
  return 0;
}
