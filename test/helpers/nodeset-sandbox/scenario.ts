/**
 * The contract between a test (outside the sandbox) and the scenario code it runs inside.
 * A scenario is a module exporting `scenario`, an async function of a ScenarioContext; it runs in
 * scenario-runner.js, a child inside the sandbox, where the hosts are up and Ansible's files are
 * written. Its return value (JSON) comes back to the test through sandbox.ts's runScenario.
 *
 *   // test/nodeset/scenarios/ping.ts
 *   export const scenario: Scenario<{}, { kind: string }> = async (ctx) => {
 *     const run = await runAdHoc(ctx.ansible, 'all', 'ping', undefined, { timeoutMs: 30_000 });
 *     return { kind: run.kind };
 *   };
 */
import type { AnsibleFiles, InventoryOptions } from './ansible-config';
import type { SandboxHosts } from './hosts';
import type { HostSpec } from './layout';

export interface ScenarioContext<A = unknown> {
  args: A;
  /** The per-run temporary root (keys, known_hosts, hosts/<name>/, ansible/); removed after the run. */
  root: string;
  hosts: SandboxHosts;
  ansible: AnsibleFiles;
  /** Date.now() at which the runner gives up and the sandbox dies; bound every wait below it. */
  deadline: number;
  /**
   * Tells the test a named point was reached (with data) and waits until its onCheckpoint
   * handler has returned: the test can look at the sandbox from outside, or kill it, meanwhile.
   */
  checkpoint(name: string, data?: unknown): Promise<void>;
  /** A line on the runner's stderr (kept by runScenario for failure messages). */
  log(message: string): void;
}

export type Scenario<A = unknown, R = unknown> = (context: ScenarioContext<A>) => Promise<R>;

/** What the test passes to the runner (as one JSON argument). */
export interface RunnerOptions {
  module: string;
  root: string;
  hosts: Array<HostSpec | string>;
  args: unknown;
  timeoutMs: number;
  inventory?: InventoryOptions;
}

/** Namespace inode numbers (global: the same inside and outside), to find what belongs to a sandbox. */
export interface SandboxIdentity {
  pidNs: string;
  netNs: string;
  hostNetNs: Record<string, string>;
}

/** One line each, runner to test, on the runner's stdout. */
export type RunnerMessage =
  | { type: 'identity'; identity: SandboxIdentity; upMs: number }
  | { type: 'checkpoint'; name: string; data: unknown }
  | { type: 'result'; value: unknown }
  | { type: 'error'; message: string };
