/**
 * `nodeset deploy`: service nodes first, then the half-deploy (ship, assemble, check on every
 * app node, no traffic change), the canary (drain, switch, restart, gate, the update command once,
 * enable), the other app nodes in `serial` batches, the balancer last; each node removes its old
 * releases after its switch. The first
 * failure stops the rollout; the app nodes this run switched go back, newest first.
 */
import type { Nodeset, NodesetNode } from '../model';
import { writeControlFiles } from '../ansible/control-files';
import { nextReleaseId, releasesOf } from '../ansible/releases';
import { taskResults, type PlaybookRun } from '../ansible/run-playbook';
import type { AnsibleSettings } from '../ansible/settings';
import { DEFAULT_RUN, DeployRun, type RunSettings } from './context';
import type { DeployHooks } from './hooks';
import { DEPLOY_EXIT, type DeployReport, type NodeOutcome } from './outcome';
import { releaseHashes } from './source-hash';
import { switchBack } from './switch-back';
import { explainFailure, failureOutput } from './explain';

export interface DeployOptions {
  settings: AnsibleSettings;
  /** The directory shipped to each node's release (default: the nodeset file's directory). */
  source: string;
  hooks: DeployHooks;
  run?: Partial<RunSettings>;
}

/** The nodes whose switch task switched in a run (the ones that may need switching back). */
function switchedIn(run: PlaybookRun): string[] {
  return Object.entries(taskResults(run, 'switch'))
    .filter(([, result]) => String(result.stdout ?? '').startsWith('switched'))
    .map(([node]) => node);
}

/** Reads every node's releases; a node that does not answer stops the deploy before anything changed. */
export async function readBack(run: DeployRun, nodes: NodesetNode[]): Promise<boolean> {
  const facts = await run.play('facts', nodes, {});
  run.releases = releasesOf(facts);
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

export async function deploy(nodeset: Nodeset, options: DeployOptions): Promise<DeployReport> {
  const files = writeControlFiles(nodeset, options.settings);
  const run = new DeployRun(nodeset, files, options.hooks, { ...DEFAULT_RUN, ...options.run });
  if (!(await readBack(run, nodeset.nodes))) return run.report;
  const hashes = await releaseHashes(options.source, nodeset.nodes, options.hooks.fingerprint);
  const stale = nodeset.nodes.filter((n) => run.releases[n.short]?.hash !== hashes[n.short]);
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
    run.report.nodes = nodeset.nodes.map((n) => outcomes.get(n.short)!);
    return run.report;
  };
  if (!stale.length) return finish();

  const common = { release, source_dir: options.source, source_hashes: hashes };
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
        const said = failureOutput(result.failure);
        if (said) run.report.notes.push(`${n.short}: ${result.failure?.task} said:\n${said}`);
      }
      else outcomes.set(n.short, { ...outcomes.get(n.short)!, state: fallback });
    }
  };
  const activated = (nodes: NodesetNode[]): void => {
    for (const n of nodes) outcomes.set(n.short, { node: n.short, state: 'activated', release });
  };
  // a whole step on some nodes: prepare (ship, assemble, check), then activate
  const step = async (nodes: NodesetNode[], vars: Record<string, unknown>): Promise<PlaybookRun | undefined> => {
    const prepared = await run.play('prepare', nodes, common);
    if (prepared.kind !== 'ok') return (fail(prepared, nodes, 'half-deployed'), undefined);
    const active = await run.play('activate', nodes, { ...common, ...vars });
    if (active.kind !== 'ok') return (fail(active, nodes, 'half-deployed'), active);
    activated(nodes);
    return active;
  };

  const services = stale.filter((n) => n.kind === 'service');
  if (services.length && !(await step(services, { batches: [services.length], cleanup: true }))?.kind) return finish();
  if (run.report.status) return finish();

  const apps = stale.filter((n) => n.kind === 'appserver');
  const switched: NodesetNode[] = [];
  let updateRan = false;
  const balancers = stale.filter((n) => n.kind === 'balancer');
  // the half-deploy: every app node and the balancer in one run; nothing is switched
  const half = [...apps, ...balancers];
  if (half.length) {
    const prepared = await run.play('prepare', half, common);
    if (prepared.kind !== 'ok') return (fail(prepared, half, 'half-deployed'), finish());
    for (const n of half) outcomes.set(n.short, { ...outcomes.get(n.short)!, state: 'half-deployed' });
  }
  if (apps.length) {
    const canary = apps[0];
    const role = nodeset.roles.find((r) => r.name === canary.role);
    const batches: Array<[NodesetNode[], unknown[]]> = [[[canary], [1]]];
    if (apps.length > 1)
      batches.push([apps.slice(1), nodeset.serial.length > 1 ? nodeset.serial.slice(1) : nodeset.serial]);
    for (const [nodes, serial] of batches) {
      const active = await run.play('activate', nodes, {
        ...common,
        drain: true,
        batches: serial,
        update_command: role?.updateCommand ?? '',
        update_node: canary.short,
        cleanup: true,
      });
      updateRan ||= Object.values(taskResults(active, 'update')).some((r) => !r.skipped && !r.failed);
      const nowSwitched = nodes.filter((n) => switchedIn(active).includes(n.short));
      if (active.kind === 'ok') {
        switched.push(...nowSwitched);
        activated(nodes);
        continue;
      }
      fail(active, nodes, 'half-deployed');
      const done = nodes.filter(
        (n) => active.nodes[n.short]?.status !== 'failed' && active.nodes[n.short]?.status !== 'unreachable',
      );
      activated(done.filter((n) => nowSwitched.includes(n)));
      run.report.notes.push(...(await explainFailure(run, active, nodes)));
      switched.push(...nowSwitched);
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
  }

  if (balancers.length) {
    const active = await run.play('activate', balancers, { ...common, batches: [1], cleanup: true });
    if (active.kind !== 'ok') return (fail(active, balancers, 'half-deployed'), finish());
    activated(balancers);
  }
  return finish();
}
