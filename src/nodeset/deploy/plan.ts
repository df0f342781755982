/**
 * `nodeset plan`: what a deploy would do, without changing what runs: per node `current r4 ->
 * r5` (or "already at r5") and, for each node that takes the release, its tree's own plan made
 * on the node (plan.yml): the parts that change and why, the generated files' diffs with secrets
 * masked, and what happens to each running program (reload, restart, untouched).
 */
import type { Nodeset } from '../model';
import { writeControlFiles } from '../ansible/control-files';
import { nextReleaseId } from '../ansible/releases';
import { DEFAULT_RUN, DeployRun } from './context';
import * as path from 'node:path';
import type { DeployHooks, SharedFiles } from './hooks';
import type { AnsibleSettings } from '../ansible/settings';
import { readBack, releaseChange } from './deploy';
import { DEPLOY_EXIT, summary } from './outcome';
import { taskResults } from '../ansible/run-playbook';
import type { PlanReport } from '../../plan/report';
import { failureOutput } from './explain';

export interface NodePlan {
  node: string;
  kind: string;
  current?: string;
  next?: string;
  parts: string[];
  /** The node's tree's plan (bin/assemble plan --json) for the next release; none when it stays. */
  report?: PlanReport;
  /** Why there is no report for a node that takes the release. */
  problem?: string;
}

export interface DeployPlan {
  status: number;
  release?: string;
  nodes: NodePlan[];
  lines: string[];
}

export async function planDeploy(
  nodeset: Nodeset,
  options: { settings: AnsibleSettings; source: string; hooks: DeployHooks },
): Promise<DeployPlan> {
  const run = new DeployRun(nodeset, writeControlFiles(nodeset, options.settings), options.hooks, DEFAULT_RUN);
  if (!(await readBack(run, nodeset.nodes)))
    return { status: run.report.status, nodes: [], lines: summary(run.report) };
  const { stale, shared } = await releaseChange(run, options.source);
  const release = stale.length ? nextReleaseId(run.releases) : undefined;
  const nodes: NodePlan[] = nodeset.nodes.map((n) => ({
    node: n.short,
    kind: n.kind,
    current: run.releases[n.short]?.current,
    next: stale.includes(n) ? release : undefined,
    parts: [...n.parts, ...nodeset.commonParts],
  }));
  const order = (kind: string): string =>
    kind === 'service'
      ? 'first'
      : kind === 'appserver'
        ? 'drained, switched, gated, in batches'
        : 'last, graceful reloads';
  if (stale.length) await nodePlans(run, stale, nodes, release!, options.source, shared);
  const lines = nodes.map((p) =>
    p.next
      ? `${p.node}: ${p.current ?? 'nothing'} -> ${p.next} (${order(p.kind)}); parts: ${p.parts.join(' ')}`
      : `${p.node}: already at ${p.current}; nothing restarts`,
  );
  for (const removed of run.removed)
    lines.push(`${removed.short} (${removed.address}): removed from the nodeset: drained in haproxy, then stopped`);
  const failed = nodes.some((n) => n.problem);
  return { status: failed ? DEPLOY_EXIT.failed : 0, release, nodes, lines };
}

/**
 * The release's own path in a plan made in releases/.plan: what the deploy will name. A node
 * without the shared files yet (its first release) planned with the controller's copy, made in
 * the plan tree: the deploy puts them in shared/.
 */
function asRelease(report: unknown, release: string, source: string, shared?: SharedFiles): PlanReport {
  let text = JSON.stringify(report);
  if (shared) {
    const made = path.relative(source, shared.from);
    if (!made.startsWith('..')) text = text.replaceAll(`/releases/.plan/${made}`, `/shared/${shared.name}`);
  }
  return JSON.parse(text.replaceAll('/releases/.plan', `/releases/${release}`)) as PlanReport;
}

/** plan.yml on the nodes that take the release: each node's tree's plan, or why there is none. */
async function nodePlans(
  run: DeployRun,
  stale: Nodeset['nodes'],
  plans: NodePlan[],
  release: string,
  source: string,
  shared?: SharedFiles,
): Promise<void> {
  const result = await run.play('plan', stale, { release, source_dir: source });
  const answers = taskResults(result, 'plan');
  for (const node of stale) {
    const plan = plans.find((p) => p.node === node.short)!;
    const outcome = result.nodes[node.short];
    const answer = answers[node.short];
    try {
      if (outcome?.status === 'failed' || outcome?.status === 'unreachable' || !answer) {
        const said = failureOutput(outcome?.failure, 6)?.trim().replace(/\n\s*/g, ' | ');
        const msg = (outcome?.failure?.msg ?? 'no answer').trim();
        throw new Error(`${outcome?.failure?.task ?? 'plan'}: ${msg}${said ? `: ${said}` : ''}`);
      }
      const text = String(answer.stdout ?? '');
      plan.report = asRelease(JSON.parse(text.slice(text.indexOf('{'))), release, source, shared);
    } catch (error) {
      plan.problem = (error as Error).message.split('\n')[0];
    }
  }
}
