/**
 * `nodeset rollback`: every app node back to the release it ran before its current one, through
 * the same drain, restart and gate as a deploy, the canary first and then `serial` batches, in
 * one activate run. The first failure stops it; nodes not reached keep their current release.
 */
import type { Nodeset } from '../model';
import { writeControlFiles } from '../ansible/control-files';
import type { AnsibleSettings } from '../ansible/settings';
import { DEFAULT_RUN, DeployRun, type RunSettings } from './context';
import type { DeployHooks } from './hooks';
import { DEPLOY_EXIT, type DeployReport } from './outcome';
import { readBack, switchedIn } from './deploy';
import { laterBatches } from './batches';

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
  const back = await run.play('activate', apps, {
    release: '',
    release_of,
    canary: apps[0].short,
    batches: laterBatches(nodeset.serial, apps.length - 1),
    drain: true,
  });
  if (back.kind !== 'ok') {
    run.report.status = back.kind === 'unreachable' ? DEPLOY_EXIT.unreachable : DEPLOY_EXIT.failed;
    const switched = new Set(switchedIn(back));
    run.report.nodes = apps.map((n) => {
      const result = back.nodes[n.short];
      if (result?.status === 'unreachable' || result?.status === 'failed')
        return { node: n.short, state: result.status, step: result.failure?.task, detail: result.failure?.msg.trim() };
      if (result && switched.has(n.short)) return { node: n.short, state: 'rolled back', release: target[n.short] };
      return { node: n.short, state: 'untouched', release: run.releases[n.short]?.current };
    });
    return run.report;
  }
  run.report.nodes = apps.map((n) => ({ node: n.short, state: 'rolled back', release: target[n.short] }));
  return run.report;
}
