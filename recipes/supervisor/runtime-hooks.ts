/**
 * The supervisor part's runtime hooks. runtime(): the process manager's plan of what the change
 * does to each program, read-only (no pm2 daemon is started, the monitor database is only read).
 * apply(): `bin/supervisorctl update --json`, which makes the same plan from the same state and
 * carries it out; what it did is checked against the report the operator was shown.
 */
import type { RuntimeChange, RuntimeContext, RuntimeReport } from '../../src/recipe';
import {
  configHashes,
  describeChange,
  planRuntime,
  readRunningState,
  runtimeReport,
  treeFile,
  type SupervisorFile,
} from '../../programs/process-manager/public';

export function planOfRuntime(ctx: RuntimeContext, config: SupervisorFile): RuntimeReport {
  // a program's executable that a part rebuilds: new contents, not known before the build
  const executables = new Set(config.programs.map((p) => treeFile(config, p.command?.[0] ?? '')));
  const contentAfter = (file: string): Buffer | string | undefined => {
    const after = ctx.contentAfter?.(file);
    if (after !== undefined || !executables.has(file)) return after;
    const part = ctx.rebuiltBy?.(file);
    return part === undefined ? undefined : `rebuilt by part ${part}`;
  };
  return runtimeReport(
    planRuntime(readRunningState(config), config.programs, configHashes(config.programs, contentAfter, config)),
  );
}

interface Done {
  program: string;
  action: RuntimeChange['action'];
  ms: number;
  detail?: string;
}

const key = (c: { program: string; action: string }): string => `${c.program} ${c.action}`;

export async function applyRuntime(
  ctx: RuntimeContext,
  config: SupervisorFile,
  supervisorctl: string,
  report: RuntimeReport,
): Promise<string[]> {
  // not running: applying is installing; bin/supervisord starts what the report lists
  if (!report.running) return [];
  const result = await ctx.exec([supervisorctl, 'update', '--json'], {
    cwd: config.directory,
    step: 'supervisorctl update',
  });
  const { done } = JSON.parse(result.stdout) as { done: Done[] };
  const planned = report.changes.map(key).join(', ');
  const applied = done.map(key).join(', ');
  if (planned !== applied)
    ctx.log.warn(`the running stack changed since the plan: planned ${planned}; done ${applied}`);
  const changed = done.filter((d) => d.action !== 'untouched');
  return changed.map(
    (d) =>
      `${describeChange({ program: d.program, action: d.action, how: d.detail })} in ${(d.ms / 1000).toFixed(2)} s`,
  );
}
