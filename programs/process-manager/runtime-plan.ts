/**
 * The runtime plan: from what runs now (the monitor database's control rows: what each program
 * was started with, and whether it is alive) and the next supervisor.json, what applying the
 * change does to each program, in the order `update` does it. Pure: the caller gathers the state
 * (runtime-state.ts) and hashes the configuration files.
 *
 * Order: programs removed go first (drained out of their load balancer, then stopped, clients
 * before servers), then the rest by priority, lowest first, one program at a time: a server
 * (MariaDB) restarts before its clients, instances behind a load balancer one by one, and the
 * balancer reloads after the instances it is told about are up.
 */
import type { RuntimeChange } from '../../src/recipe';
import type { Program } from './config';
import { identityOf, restartReasons } from './change-reasons';
import { drainOf, restartCost, reloadHow, type Drain } from './runtime-costs';
import { configChange, restartCause } from './config-fingerprint';

/** One program as the running stack knows it. */
export interface RunningProgram {
  name: string;
  /** What it was started with (the control row's spec). */
  spec?: Program;
  /** The hash of its configuration files when it was started or last reloaded. */
  configHash?: string | null;
  desired: 'running' | 'stopped';
  alive: boolean;
}

export interface RunningState {
  /** Whether the process manager (pm2's daemon) runs. */
  running: boolean;
  programs: RunningProgram[];
}

/** A change with what `update` needs to carry it out. */
export interface PlannedChange extends RuntimeChange {
  /** The next program (the one stopped, for a stop). */
  spec: Program;
  /** The load balancer's server to drain first (stop, rolling-restart). */
  drain?: Drain;
}

export interface RuntimePlan {
  running: boolean;
  changes: PlannedChange[];
}

function notRunningPlan(next: Program[]): RuntimePlan {
  const changes = [...next]
    .sort((a, b) => a.priority - b.priority)
    .map((spec): PlannedChange =>
      spec.autostart === false
        ? {
            program: spec.name,
            action: 'untouched',
            why: ['autostart is off: bin/supervisord leaves it stopped'],
            spec,
          }
        : { program: spec.name, action: 'start', how: `bin/supervisord starts it (priority ${spec.priority})`, spec },
    );
  return { running: false, changes };
}

/** A restart whose cause is not the configuration files, in words: the executable, or what the program reads. */
function notTheConfiguration(spec: Program, cause: ReturnType<typeof restartCause>): string | undefined {
  if (cause === 'executable') return `its executable changed (${spec.command[0]})`;
  if (cause === 'reads') return `what it reads from the release changed (${(spec.reads ?? []).join(', ')})`;
  return undefined;
}

function changeOf(
  now: RunningProgram | undefined,
  spec: Program,
  configHash: string,
  balancers: Program[],
): PlannedChange {
  if (!now?.spec) {
    if (spec.autostart === false)
      return { program: spec.name, action: 'untouched', why: ['new, with autostart off'], spec };
    return { program: spec.name, action: 'start', why: ['it is new'], spec };
  }
  if (now.desired !== 'running' || !now.alive) {
    return {
      program: spec.name,
      action: 'untouched',
      why: ['it is not running: it starts with the new settings when started'],
      spec,
    };
  }
  const reasons = restartReasons(now.spec, spec);
  const files = (spec.configFiles ?? []).join(', ');
  const change = configChange(now.configHash, configHash, Boolean(spec.reload));
  const notConfiguration = notTheConfiguration(spec, restartCause(now.configHash, configHash));
  if (!reasons.length && identityOf(now.spec) === identityOf(spec)) {
    if (change === 'none' || (change === 'moved' && !spec.reload))
      return { program: spec.name, action: 'untouched', spec };
    if (change !== 'restart' && spec.reload) {
      const why =
        change === 'moved'
          ? `its configuration files are the new release's (${files}), with the same settings`
          : `its configuration changed (${files})`;
      return { program: spec.name, action: 'reload', how: reloadHow(spec), why: [why], spec };
    }
    reasons.push(
      notConfiguration ??
        (spec.reload
          ? `its configuration changed (${files}) where a reload does not apply it`
          : `its configuration changed (${files}) and it cannot reload`),
    );
  } else if (change === 'restart' && notConfiguration) {
    reasons.push(notConfiguration);
  } else if (change === 'reload' || change === 'restart') {
    reasons.push(`its configuration changed (${files})`);
  }
  const drain = drainOf(now.spec, balancers);
  if (drain && drain.others > 0) {
    return {
      program: spec.name,
      action: 'rolling-restart',
      how: `drained through ${drain.balancer} (${drain.backend}/${drain.server}), restarted, enabled again`,
      why: reasons,
      spec,
      drain,
    };
  }
  const cost = restartCost(now.spec, drain);
  return { program: spec.name, action: 'restart', why: reasons, ...(cost ? { cost } : {}), spec };
}

/**
 * The balancers that can drain an instance: those running now, with the servers they were
 * started with; one started before its spec named its runtime API gets the next spec's.
 */
function runningBalancers(state: RunningState, next: Program[]): Program[] {
  return state.programs.flatMap((p) => {
    if (!p.alive || !p.spec) return [];
    if (p.spec.balancer) return [p.spec];
    const balancer = next.find((n) => n.name === p.name)?.balancer;
    return balancer ? [{ ...p.spec, balancer }] : [];
  });
}

/** What applying `next` does to each program; `configHashes` by program name (configFilesHash). */
export function planRuntime(state: RunningState, next: Program[], configHashes: Record<string, string>): RuntimePlan {
  if (!state.running) return notRunningPlan(next);
  const byName = new Map(state.programs.map((p) => [p.name, p]));
  const names = new Set(next.map((p) => p.name));
  const balancers = runningBalancers(state, next);
  const removed = state.programs
    .filter((p) => !names.has(p.name) && p.spec)
    .sort((a, b) => b.spec!.priority - a.spec!.priority)
    .map((p): PlannedChange => {
      const drain = p.alive ? drainOf(p.spec!, balancers) : undefined;
      return {
        program: p.name,
        action: 'stop',
        why: ['it is no longer configured'],
        spec: p.spec!,
        ...(drain
          ? { drain, how: `drained through ${drain.balancer} (${drain.backend}/${drain.server}), then stopped` }
          : {}),
      };
    });
  const kept = [...next]
    .sort((a, b) => a.priority - b.priority)
    .map((spec) => changeOf(byName.get(spec.name), spec, configHashes[spec.name] ?? '', balancers));
  return { running: true, changes: [...removed, ...kept] };
}

/** The plan as the recipe contract's report (what `update` needs to carry it out left out). */
export function runtimeReport(plan: RuntimePlan): { running: boolean; changes: RuntimeChange[] } {
  return { running: plan.running, changes: plan.changes.map(({ spec: _spec, drain: _drain, ...change }) => change) };
}
