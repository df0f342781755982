/**
 * Carrying out a runtime plan (runtime-plan.ts) on the running stack, change by change in the
 * plan's order, one program at a time. A server behind a load balancer is drained through the
 * balancer's runtime API before its program stops (its current requests finish, new ones go to
 * the other servers), and after a restart it is made ready again once it answers, and waited for
 * until the balancer's health check sees it UP, before the next instance goes.
 */
import type { Program } from './config';
import { identityOf } from './change-reasons';
import { reloadProgram } from './reload-program';
import { serverStat, setServerState } from './haproxy-api';
import type { Drain } from './runtime-costs';
import type { PlannedChange, RuntimePlan } from './runtime-plan';
import { configFilesHash, specHash, type Runtime } from './runtime';
import { checkAll } from './orchestrate';
import { processManagerErrors } from '../../src/errors/factories/process-manager';
import { startProgram } from './start-program';
import { stopProgram } from './stop-program';
import { until as waitUntil } from './stop-process';

/** How long a drained server's current requests may take to finish before it is stopped anyway. */
const DRAIN_TIMEOUT_MS = 30_000;
/** How long a restarted server may take to pass the balancer's health check. */
const UP_TIMEOUT_MS = 30_000;

/** What was done to one program: the plan's action, and how long it took. */
export interface DoneChange {
  program: string;
  action: PlannedChange['action'];
  ms: number;
  detail?: string;
}

async function drain(rt: Runtime, d: Drain): Promise<string> {
  await setServerState(d.socket, d.backend, d.server, 'drain');
  const idle = await waitUntil(
    async () => (await serverStat(d.socket, d.backend, d.server))?.sessions === 0,
    DRAIN_TIMEOUT_MS,
  );
  if (!idle)
    rt.say(`update: ${d.server} still had requests after ${DRAIN_TIMEOUT_MS / 1000} s of drain: stopping it anyway`);
  return idle ? 'drained' : 'drain timed out';
}

async function enable(d: Drain): Promise<void> {
  await setServerState(d.socket, d.backend, d.server, 'ready');
  const up = await waitUntil(
    async () => /^UP/.test((await serverStat(d.socket, d.backend, d.server))?.status ?? ''),
    UP_TIMEOUT_MS,
  );
  if (!up) {
    throw processManagerErrors.balancerNotUp(`${d.backend}/${d.server}`, d.balancer, UP_TIMEOUT_MS / 1000);
  }
}

async function restart(rt: Runtime, change: PlannedChange, before: Program): Promise<void> {
  await stopProgram(rt, before);
  await checkAll(rt, [change.spec]);
  await startProgram(rt, change.spec);
}

async function carryOut(rt: Runtime, change: PlannedChange): Promise<string | undefined> {
  const control = rt.db.control(change.program);
  const before = control?.spec ? (JSON.parse(control.spec) as Program) : change.spec;
  switch (change.action) {
    case 'start':
      await checkAll(rt, [change.spec]);
      await startProgram(rt, change.spec);
      return undefined;
    case 'stop': {
      const drained = change.drain ? await drain(rt, change.drain) : undefined;
      await stopProgram(rt, before);
      if (await rt.pm2.find(change.program)) await rt.pm2.delete(change.program);
      rt.db.forget(change.program);
      return drained;
    }
    case 'reload':
      await reloadProgram(rt, change.spec);
      return change.how;
    case 'restart':
      await restart(rt, change, before);
      return undefined;
    case 'rolling-restart': {
      const drained = await drain(rt, change.drain!);
      await restart(rt, change, before);
      await enable(change.drain!);
      return `${drained}, restarted, UP again`;
    }
    case 'untouched':
      // settings its process never reads (readiness, priority, upstream) are recorded as they are now
      if (
        control?.spec &&
        control.spec !== JSON.stringify(change.spec) &&
        identityOf(before) === identityOf(change.spec)
      ) {
        rt.db.setControl(change.program, {
          spec: JSON.stringify(change.spec),
          spec_hash: specHash(change.spec),
          config_hash: configFilesHash(rt.config, change.spec),
        });
      }
      return undefined;
  }
}

/** Runs every change of the plan in order; stops at the first that fails (the error says which). */
export async function applyPlan(rt: Runtime, plan: RuntimePlan): Promise<DoneChange[]> {
  const done: DoneChange[] = [];
  for (const change of plan.changes) {
    const began = Date.now();
    const detail = await carryOut(rt, change);
    done.push({
      program: change.program,
      action: change.action,
      ms: Date.now() - began,
      ...(detail ? { detail } : {}),
    });
  }
  return done;
}
