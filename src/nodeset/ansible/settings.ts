/**
 * What the generated Ansible files need beyond the nodeset itself: where the pinned host keys
 * are, where ssh keeps its master sockets, and per-node deploy roots (the test sandbox's hosts
 * share one filesystem, so each gets its own; on real machines every node uses deploy-root).
 */
import { createHash } from 'node:crypto';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Nodeset, NodesetNode } from '../model';

export interface AnsibleSettings {
  /** known_hosts with every node's host key; checking is never turned off. */
  knownHosts: string;
  /** ControlPath sockets; a short path (a unix socket path is limited to 108 bytes). */
  socketDir: string;
  /** ControlPersist of the ssh masters. */
  controlPersist: string;
  forks: number;
  /** Short node name -> deploy root, for nodes whose root differs from [nodeset] deploy-root. */
  deployRootOf: Record<string, string>;
}

/** Defaults: known_hosts beside the nodeset file, sockets under the temporary directory. */
export function defaultSettings(nodeset: Nodeset, given: Partial<AnsibleSettings> = {}): AnsibleSettings {
  const tag = createHash('sha256').update(nodeset.controlDir).digest('hex').slice(0, 10);
  return {
    knownHosts: given.knownHosts ?? path.join(path.dirname(nodeset.file), 'known_hosts'),
    socketDir: given.socketDir ?? path.join(os.tmpdir(), `zs-cp-${tag}`),
    controlPersist: given.controlPersist ?? '60s',
    forks: given.forks ?? 10,
    deployRootOf: given.deployRootOf ?? {},
  };
}

export function deployRootOf(nodeset: Nodeset, settings: AnsibleSettings, node: NodesetNode): string {
  return settings.deployRootOf[node.short] ?? settings.deployRootOf[node.name] ?? nodeset.deployRoot;
}
