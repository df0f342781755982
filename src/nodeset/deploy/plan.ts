/**
 * `nodeset plan`: what a deploy would do, read from the nodes without changing them: per node
 * `current r4 -> r5` (or "already at r5"), the node's parts, and whether its programs restart.
 */
import type { Nodeset } from '../model';
import { writeControlFiles } from '../ansible/control-files';
import { nextReleaseId } from '../ansible/releases';
import { DEFAULT_RUN, DeployRun } from './context';
import type { DeployHooks } from './hooks';
import type { AnsibleSettings } from '../ansible/settings';
import { readBack } from './deploy';
import { releaseHashes } from './source-hash';
import { summary } from './outcome';

export interface NodePlan {
  node: string;
  kind: string;
  current?: string;
  next?: string;
  parts: string[];
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
  const shared = options.hooks.sharedFiles?.();
  const hashes = await releaseHashes(options.source, nodeset.nodes, options.hooks.fingerprint, shared?.hash);
  const stale = nodeset.nodes.filter((n) => run.releases[n.short]?.hash !== hashes[n.short]);
  const release = stale.length ? nextReleaseId(run.releases) : undefined;
  const nodes = nodeset.nodes.map((n) => ({
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
  const lines = nodes.map((p) =>
    p.next
      ? `${p.node}: ${p.current ?? 'nothing'} -> ${p.next} (${order(p.kind)}); parts: ${p.parts.join(' ')}; its programs restart or reload`
      : `${p.node}: already at ${p.current}; nothing restarts`,
  );
  for (const removed of run.removed)
    lines.push(`${removed.short} (${removed.address}): removed from the nodeset: drained in haproxy, then stopped`);
  return { status: 0, release, nodes, lines };
}
