/**
 * `nodeset deploy`: the half-deploy (ship, assemble, check on every node that needs the release,
 * no traffic change), then the rollout: the service nodes, the canary (drain, switch, restart,
 * gate, the update command once, enable), the other app nodes in `serial` batches, the balancer
 * last; each node removes its old releases after its switch. Both in one ansible-playbook run
 * (deploy.yml), or two with the removed nodes taken out between them. The first failure stops
 * the rollout; when an app node failed, the app nodes this run switched go back, newest first.
 */
import type { Nodeset, NodesetNode } from '../model';
import { writeControlFiles, writeInventory } from '../ansible/control-files';
import { nextReleaseId, releasesOf } from '../ansible/releases';
import { taskResults, type PlaybookRun, type TaskResult } from '../ansible/run-playbook';
import type { AnsibleSettings } from '../ansible/settings';
import { DEFAULT_RUN, DeployRun, type RunSettings } from './context';
import { markSharedFiles, type DeployHooks, type SharedFiles } from './hooks';
import { DEPLOY_EXIT, type DeployReport, type NodeOutcome } from './outcome';
import { releaseHashes } from './source-hash';
import { switchBack } from './switch-back';
import { explainFailure, failureOutput } from './explain';
import { laterBatches } from './batches';
import { haproxyView, removedNodes } from './removed';

export interface DeployOptions {
  settings: AnsibleSettings;
  /** The directory shipped to each node's release (default: the nodeset file's directory). */
  source: string;
  hooks: DeployHooks;
  run?: Partial<RunSettings>;
}

/** The nodes whose switch task switched in a run (the ones that may need switching back). */
export function switchedIn(run: PlaybookRun): string[] {
  return Object.entries(taskResults(run, 'switch'))
    .filter(([, result]) => String(result.stdout ?? '').startsWith('switched'))
    .map(([node]) => node);
}

/** activate.tasks.yml's tasks: a node with a result of one of them took part in the rollout. */
const ROLLOUT_TASKS = ['drain', 'switch', 'gate', 'update', 'enable'];

export function reachedRollout(run: PlaybookRun, node: NodesetNode): boolean {
  return ROLLOUT_TASKS.some((task) => taskResults(run, task)[node.short] !== undefined);
}

/** Reads every node's releases; a node that does not answer stops the deploy before anything changed. */
export async function readBack(run: DeployRun, nodes: NodesetNode[]): Promise<boolean> {
  const facts = await run.play('facts', nodes, {});
  run.releases = releasesOf(facts);
  run.haproxy = haproxyView(facts);
  run.removed = removedNodes(run.haproxy, run.nodeset, run.hooks);
  const unreachable = Object.entries(facts.nodes).filter(([, r]) => r.status === 'unreachable');
  if (!unreachable.length) return true;
  run.report.status = DEPLOY_EXIT.unreachable;
  for (const node of nodes) {
    const down = facts.nodes[node.short]?.status === 'unreachable';
    run.report.nodes.push(
      down
        ? { node: node.short, state: 'unreachable', detail: facts.nodes[node.short].failure?.msg.trim() }
        : { node: node.short, state: 'untouched', release: run.releases[node.short]?.current },
    );
  }
  return false;
}

/** remove.yml on the removed nodes: drained in haproxy, then stopped; false (and the reasons) when that failed. */
async function takeOutRemoved(
  run: DeployRun,
  settings: AnsibleSettings,
  out: Map<string, NodeOutcome>,
): Promise<boolean> {
  writeInventory(run.files, run.nodeset, settings, run.removed);
  const taken = await run.playOn(
    'remove',
    run.removed.map((r) => r.short),
    {
      ...run.baseVars([]),
      removed_servers: Object.fromEntries(run.removed.map((r) => [r.short, r.servers])),
      stop_command: run.hooks.stopCommand ?? '',
    },
  );
  for (const node of run.removed) {
    const result = taken.nodes[node.short];
    out.set(
      node.short,
      result?.status === 'failed' || result?.status === 'unreachable'
        ? { node: node.short, state: result.status, step: result.failure?.task, detail: result.failure?.msg.trim() }
        : { node: node.short, state: 'removed' },
    );
  }
  if (taken.kind === 'ok') return true;
  run.report.status = taken.kind === 'unreachable' ? DEPLOY_EXIT.unreachable : DEPLOY_EXIT.failed;
  return false;
}

/**
 * What the node's `supervisorctl update` said it did, in its order: `update: reloaded mysql in
 * 0.05 s` -> `reloaded mysql`; and why each restart, `update: plan: restart mysql: ...` ->
 * `restart mysql: ...`.
 */
function updateSaid(result: TaskResult | undefined): { actions: string[]; restarts: string[] } {
  const text = `${result?.stdout ?? ''}\n${result?.stderr ?? ''}`;
  return {
    actions: [...text.matchAll(/^update: (started|stopped|reloaded|restarted|rolling-restarted) (\S+)/gm)].map(
      (m) => `${m[1]} ${m[2]}`,
    ),
    restarts: [...text.matchAll(/^update: plan: ((?:rolling-)?restart \S+.*)$/gm)].map((m) => m[1]),
  };
}

/** What the source makes of each node (its release hash), and the nodes whose release that changes. */
export async function releaseChange(
  run: DeployRun,
  source: string,
): Promise<{ shared?: SharedFiles; hashes: Record<string, string>; stale: NodesetNode[] }> {
  const shared = run.hooks.sharedFiles?.();
  if (shared) markSharedFiles(shared);
  const hashes = await releaseHashes(source, run.nodeset.nodes, run.hooks.fingerprint, shared?.hash);
  const stale = run.nodeset.nodes.filter((n) => run.releases[n.short]?.hash !== hashes[n.short]);
  return { shared, hashes, stale };
}

export async function deploy(nodeset: Nodeset, options: DeployOptions): Promise<DeployReport> {
  const files = writeControlFiles(nodeset, options.settings);
  const run = new DeployRun(nodeset, files, options.hooks, { ...DEFAULT_RUN, ...options.run });
  if (!(await readBack(run, nodeset.nodes))) return run.report;
  const { shared, hashes, stale } = await releaseChange(run, options.source);
  const outcomes = new Map<string, NodeOutcome>();
  for (const n of nodeset.nodes) {
    const current = run.releases[n.short]?.current;
    outcomes.set(
      n.short,
      stale.includes(n)
        ? { node: n.short, state: 'untouched', release: current }
        : { node: n.short, state: 'already', release: current },
    );
  }
  const release = stale.length ? nextReleaseId(run.releases) : run.releases[nodeset.nodes[0].short]?.current;
  run.report.release = release;
  const finish = (): DeployReport => {
    run.report.nodes = [...nodeset.nodes.map((n) => outcomes.get(n.short)!), ...[...removals.values()]];
    return run.report;
  };
  const removals = new Map<string, NodeOutcome>();
  if (!stale.length) return finish();

  const common = {
    release,
    source_dir: options.source,
    source_hashes: hashes,
    shared_files_dir: shared?.from ?? '',
    shared_files_name: shared?.name ?? '',
    shared_to: shared
      ? stale.filter((n) => run.releases[n.short]?.shared[shared.name] !== shared.hash).map((n) => n.short)
      : [],
  };
  const fail = (run2: PlaybookRun, nodes: NodesetNode[], fallback: NodeOutcome['state']): void => {
    run.report.status = Object.values(run2.nodes).some((r) => r.status === 'unreachable')
      ? DEPLOY_EXIT.unreachable
      : DEPLOY_EXIT.failed;
    for (const n of nodes) {
      const result = run2.nodes[n.short];
      if (result?.status === 'unreachable')
        outcomes.set(n.short, {
          node: n.short,
          state: 'unreachable',
          step: result.failure?.task,
          detail: result.failure?.msg.trim(),
        });
      else if (result?.status === 'failed') {
        outcomes.set(n.short, {
          node: n.short,
          state: 'failed',
          step: result.failure?.task,
          detail: result.failure?.msg.trim(),
        });
        // a gate's failure is explained (explainFailure), with the node's log and haproxy's view
        const said = result.failure?.task === 'gate' ? undefined : failureOutput(result.failure);
        if (said) run.report.notes.push(`${n.short}: ${result.failure?.task} said:\n${said}`);
      } else outcomes.set(n.short, { ...outcomes.get(n.short)!, state: fallback });
    }
  };
  const activated = (nodes: NodesetNode[], active?: PlaybookRun): void => {
    // the restart is a step of the switch task
    const said = active ? taskResults(active, 'switch') : {};
    for (const n of nodes) {
      const { actions, restarts } = updateSaid(said[n.short]);
      // a restart costs the program's connections: its reason is worth a line
      for (const why of restarts) run.report.notes.push(`${n.short}: ${why}`);
      outcomes.set(n.short, { node: n.short, state: 'activated', release, ...(actions.length ? { actions } : {}) });
    }
  };

  // the rollout's order: service nodes, the canary, the other app nodes in batches, the balancers;
  // app nodes out of service (no server UP in haproxy: left drained, crashed, new) go first:
  // updating them costs no capacity, and the canary's drain then leaves the others serving
  const serving = (n: NodesetNode): boolean =>
    run.haproxy.some((s) => run.hooks.commands(n).haproxyServers.includes(s.name) && s.status.startsWith('UP'));
  const apps = [
    ...stale.filter((n) => n.kind === 'appserver' && !serving(n)),
    ...stale.filter((n) => n.kind === 'appserver' && serving(n)),
  ];
  const order = [...stale.filter((n) => n.kind === 'service'), ...apps, ...stale.filter((n) => n.kind === 'balancer')];
  const canary = apps[0];
  const role = canary && nodeset.roles.find((r) => r.name === canary.role);
  const rollout = {
    ...common,
    ...(canary ? { canary: canary.short } : {}),
    batches: laterBatches(nodeset.serial, apps.length - 1),
    drain: true,
    update_command: role?.updateCommand ?? '',
    update_node: canary?.short ?? '',
    cleanup: true,
  };
  const halfDeployed = (): void => {
    for (const n of stale) outcomes.set(n.short, { ...outcomes.get(n.short)!, state: 'half-deployed' });
  };

  let active: PlaybookRun;
  if (run.removed.length) {
    // the half-deploy: every node that needs the release, at once; nothing is switched
    const prepared = await run.play('prepare', stale, common);
    if (prepared.kind !== 'ok') return (fail(prepared, stale, 'half-deployed'), finish());
    halfDeployed();
    // nodes removed from the nodeset leave while the balancer still knows them
    if (!(await takeOutRemoved(run, options.settings, removals))) return finish();
    active = await run.play('activate', order, rollout);
  } else {
    // the half-deploy and the rollout in one run; a failed half-deploy ends it before any switch
    active = await run.play('deploy', order, rollout);
    if (active.kind !== 'ok' && !order.some((n) => reachedRollout(active, n)))
      return (fail(active, stale, 'half-deployed'), finish());
    halfDeployed();
  }
  if (active.kind === 'ok') return (activated(order, active), finish());

  const broken = (n: NodesetNode): boolean =>
    active.nodes[n.short]?.status === 'failed' || active.nodes[n.short]?.status === 'unreachable';
  const nowSwitched = switchedIn(active);
  fail(active, order, 'half-deployed');
  activated(
    order.filter(
      (n) => !broken(n) && reachedRollout(active, n) && (nowSwitched.includes(n.short) || n.kind !== 'appserver'),
    ),
    active,
  );
  run.report.notes.push(...(await explainFailure(run, active, order)));
  // app nodes go back when an app node failed; a failed balancer leaves them on the release they passed
  if (!apps.some(broken)) return finish();
  const updateRan = Object.values(taskResults(active, 'update')).some((r) => !r.skipped && !r.failed);
  const switched = apps.filter((n) => nowSwitched.includes(n.short));
  for (const back of await switchBack(run, switched, updateRan)) {
    const was = outcomes.get(back.node)!;
    outcomes.set(
      back.node,
      back.state === 'rolled back' && was.state === 'failed'
        ? { ...back, step: was.step, detail: `${was.step} failed; rolled back to ${back.release}` }
        : back,
    );
  }
  return finish();
}
