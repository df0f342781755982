/**
 * One deploy or rollback run: the control files, the hooks, the releases read back, and the
 * playbook runs made so far. Builds the extra variables every playbook takes from the hooks.
 */
import type { Nodeset, NodesetNode } from '../model';
import type { ControlFiles } from '../ansible/control-files';
import { runPlaybook, taskTimes, type PlaybookRun } from '../ansible/run-playbook';
import type { NodeReleases } from '../ansible/releases';
import type { DeployHooks } from './hooks';
import { SHIP_EXCLUDES } from './source-hash';
import type { DeployReport } from './outcome';
import type { RemovedNode, ServerView } from './removed';

export interface RunSettings {
  /** Bound of each playbook run. */
  timeoutMs: number;
  /** Seconds the health gate waits for every URL to answer 200 (asked every 0.2 s). */
  gateSeconds: number;
  /** Seconds each of haproxy's waits takes at most (no sessions left; UP). */
  drainRetries: number;
  log: (line: string) => void;
}

export const DEFAULT_RUN: RunSettings = { timeoutMs: 600_000, gateSeconds: 10, drainRetries: 30, log: () => {} };

export class DeployRun {
  readonly report: DeployReport = { status: 0, nodes: [], runs: [], notes: [] };
  releases: Record<string, NodeReleases> = {};
  /** Nodes removed from the nodeset that the balancer's haproxy still has (read back with the releases). */
  removed: RemovedNode[] = [];
  /** The balancer's servers and their states, read back with the releases. */
  haproxy: ServerView[] = [];

  constructor(
    readonly nodeset: Nodeset,
    readonly files: ControlFiles,
    readonly hooks: DeployHooks,
    readonly run: RunSettings,
  ) {}

  /** Variables of every playbook: each node's commands, the balancer's haproxy, the bounds. */
  baseVars(nodes: NodesetNode[]): Record<string, unknown> {
    const per = <T>(pick: (node: NodesetNode) => T): Record<string, T> =>
      Object.fromEntries(nodes.map((node) => [node.short, pick(node)]));
    const commands = Object.fromEntries(nodes.map((node) => [node.short, this.hooks.commands(node)]));
    return {
      ship_excludes: SHIP_EXCLUDES,
      ship_rsh: this.files.rsh,
      assemble_commands: per((n) => commands[n.short].assemble),
      check_commands: per((n) => commands[n.short].check ?? ''),
      restart_commands: per((n) => commands[n.short].restart ?? ''),
      health_urls: per((n) => commands[n.short].healthUrls),
      haproxy_servers: per((n) => commands[n.short].haproxyServers),
      haproxy_socket: this.hooks.haproxy?.socket ?? '',
      haproxy_backend: this.hooks.haproxy?.backend ?? '',
      gate_seconds: this.run.gateSeconds,
      drain_retries: this.run.drainRetries,
      drain: false,
      cleanup: false,
      update_command: '',
      update_node: '',
    };
  }

  async play(playbook: string, nodes: NodesetNode[], vars: Record<string, unknown>): Promise<PlaybookRun> {
    return this.playOn(
      playbook,
      nodes.map((node) => node.short),
      { ...this.baseVars(nodes), ...vars },
    );
  }

  /** A run on hosts by inventory name (the nodes removed from the nodeset are not NodesetNodes). */
  async playOn(playbook: string, names: string[], extraVars: Record<string, unknown>): Promise<PlaybookRun> {
    this.run.log(`${playbook}: ${names.join(' ')}`);
    const result = await runPlaybook(this.files, playbook, {
      limit: names,
      extraVars,
      timeoutMs: this.run.timeoutMs,
    });
    this.report.runs.push({
      playbook,
      nodes: names,
      kind: result.kind,
      durationMs: result.durationMs,
      tasks: taskTimes(result),
    });
    if (result.kind === 'invalid' || result.kind === 'timeout') {
      const why = result.kind === 'timeout' ? `timed out after ${this.run.timeoutMs} ms` : 'gave no result';
      throw new Error(`ansible-playbook ${playbook}.yml ${why}: ${result.stderr.trim().slice(-1500)}`);
    }
    return result;
  }
}
