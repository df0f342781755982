/**
 * `nodeset rollback`: every app node back to the release it ran before its current one, through
 * the same drain, restart and gate as a deploy, the canary first and then `serial` batches. The
 * first failure stops it; nodes not reached keep their current release.
 */
import type { Nodeset } from '../model';
import { writeControlFiles } from '../ansible/control-files';
import type { AnsibleSettings } from '../ansible/settings';
import { DEFAULT_RUN, DeployRun, type RunSettings } from './context';
import type { DeployHooks } from './hooks';
import { DEPLOY_EXIT, type DeployReport } from './outcome';
import { readBack } from './deploy';

export interface RollbackOptions {
  settings: AnsibleSettings;
  hooks: DeployHooks;
  run?: Partial<RunSettings>;
}

export async function rollback(nodeset: Nodeset, options: RollbackOptions): Promise<DeployReport> {
  const files = writeControlFiles(nodeset, options.settings);
  const run = new DeployRun(nodeset, files, options.hooks, { ...DEFAULT_RUN, ...options.run });
  const apps = nodeset.nodes.filter((n) => n.kind === 'appserver');
  if (!(await readBack(run, apps))) return run.report;
  const target = Object.fromEntries(apps.map((n) => [n.short, run.releases[n.short]?.previous]));
  const missing = apps.filter((n) => !target[n.short]);
  if (missing.length) {
    run.report.status = DEPLOY_EXIT.failed;
    run.report.nodes = apps.map((n) =>
      missing.includes(n)
        ? { node: n.short, state: 'failed', step: 'roll back', detail: 'no earlier release to go back to' }
        : { node: n.short, state: 'untouched', release: run.releases[n.short]?.current },
    );
    return run.report;
  }
  const release_of = target as Record<string, string>;
  const [first, ...rest] = apps;
  const batches: Array<[typeof apps, unknown[]]> = [[[first], [1]]];
  if (rest.length) batches.push([rest, nodeset.serial.length > 1 ? nodeset.serial.slice(1) : nodeset.serial]);
  const done = new Set<string>();
  for (const [nodes, serial] of batches) {
    const back = await run.play('activate', nodes, { release: '', release_of, drain: true, batches: serial });
    for (const n of nodes) {
      const result = back.nodes[n.short];
      if (result && result.status !== 'failed' && result.status !== 'unreachable') done.add(n.short);
    }
    if (back.kind !== 'ok') {
      run.report.status = back.kind === 'unreachable' ? DEPLOY_EXIT.unreachable : DEPLOY_EXIT.failed;
      run.report.nodes = apps.map((n) => {
        const result = back.nodes[n.short];
        if (done.has(n.short)) return { node: n.short, state: 'rolled back', release: target[n.short] };
        if (result?.status === 'unreachable' || result?.status === 'failed')
          return {
            node: n.short,
            state: result.status,
            step: result.failure?.task,
            detail: result.failure?.msg.trim(),
          };
        return { node: n.short, state: 'untouched', release: run.releases[n.short]?.current };
      });
      return run.report;
    }
  }
  run.report.nodes = apps.map((n) => ({ node: n.short, state: 'rolled back', release: target[n.short] }));
  return run.report;
}
