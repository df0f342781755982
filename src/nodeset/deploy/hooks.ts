/**
 * The commands a deploy runs on each node, and where the balancer's haproxy takes runtime
 * commands. The playbooks are the same for every nodeset; these say what "assemble", "check",
 * "restart" and "healthy" mean for a node's tree.
 */
import * as path from 'node:path';
import type { NodesetNode } from '../model';
import type { LoadedNodeset } from '../load';
import { backendName } from '../backends';
import { splitAddress } from '../../util/address';
import { commandLine } from '../../execute/exec';
import { nodeFingerprint, type NodeFingerprint } from './node-fingerprint';
import { AGENT_TLS, agentTlsHash, ensureAgentTls } from '../agent-tls';
import { readTextIf } from '../../util/read-text-if';
import { writeFileAtomic } from '../../util/atomic-write';

export interface NodeCommands {
  /** Run in the new release's directory: builds the node's tree there. */
  assemble: string;
  /** Run in the new release's directory after assemble: the daemons' own config checks. */
  check?: string;
  /** Run in `current` after the switch: starts, restarts or reloads what changed. */
  restart?: string;
  /** Checked from the balancer after the restart; each must answer 200. */
  healthUrls: string[];
  /** The node's servers in the balancer's haproxy backend (drained, then enabled). */
  haproxyServers: string[];
}

export interface HaproxyAccess {
  /** The runtime API socket, as a path on the balancer node. */
  socket: string;
  backend: string;
}

/** In a SharedFiles directory: its hash, so that a node tells whether it has the files as they are. */
const SHARED_HASH = '.zetaserver-hash';

/** Files made once on the controller that every node holds in `<deploy-root>/shared/<name>/`. */
export interface SharedFiles {
  /** The directory on the controller, its contents copied as they are (modes kept). */
  from: string;
  name: string;
  /** Part of every node's release hash: new files reach every node. */
  hash: string;
}

/** Writes the files' hash among them (when it changed): copied with them, read back by facts.yml. */
export function markSharedFiles(shared: SharedFiles): void {
  const file = path.join(shared.from, SHARED_HASH);
  if (readTextIf(file) !== `${shared.hash}\n`) writeFileAtomic(file, `${shared.hash}\n`);
}

export interface DeployHooks {
  commands(node: NodesetNode): NodeCommands;
  /** Run in `current` on a node removed from the nodeset, once drained: stops its stack. */
  stopCommand?: string;
  /** What the node's tree is made of (the source hash covers every shipped file without it). */
  fingerprint?(node: NodesetNode): Promise<NodeFingerprint>;
  haproxy?: HaproxyAccess;
  /** Made (when missing) before anything is shipped. */
  sharedFiles?(): SharedFiles;
}

/**
 * For assembled trees: the node assembles itself with the Zetaserver installed on it
 * ([nodeset] zetaserver), var/ shared across releases, then hands its new tree to the tree's own
 * process manager (`bin/supervisorctl update` applies a new assembly to a running stack;
 * `bin/supervisord` starts one that is not running). The app nodes' servers in the balancer's
 * haproxy are `<node>-<part>` (backends.ts), checked at the part's address; haproxy's runtime
 * socket is under the balancer's shared var/, the same path in every release. The agents'
 * certificate (agent-tls.ts) is shipped into every node's shared directory.
 */
export function assembledTreeHooks(loaded: LoadedNodeset, deployRootOf: (node: NodesetNode) => string): DeployHooks {
  const { nodeset, config } = loaded;
  const file = path.basename(nodeset.file);
  const balancer = nodeset.nodes.find((n) => n.kind === 'balancer');
  const haproxyPart = balancer?.parts.find((part) => config.resolver.get(part, 'recipe')?.trim() === 'haproxy');
  const portOf = (part: string): string | undefined => {
    const address = config.resolver.get(part, 'address') ?? config.resolver.get(part, 'http-address');
    return address ? splitAddress(address).port : undefined;
  };
  return {
    fingerprint: (node) => nodeFingerprint(loaded, node),
    sharedFiles: () => {
      const from = ensureAgentTls(nodeset);
      return { from, name: AGENT_TLS, hash: agentTlsHash(from) };
    },
    stopCommand: 'bin/supervisorctl shutdown',
    haproxy:
      balancer && haproxyPart
        ? { socket: path.join(deployRootOf(balancer), 'shared', 'var', haproxyPart, 'haproxy.sock'), backend: 'zope' }
        : undefined,
    commands: (node) => {
      const served = node.kind === 'appserver' ? node.parts.filter((part) => portOf(part)) : [];
      return {
        // the command line's assignments too: the node's tree is the one the controller planned
        assemble: `${nodeset.zetaserver}/bin/assemble ${commandLine(['-c', file, ...nodeset.overrides, 'nodeset', 'assemble', node.short])} --target "$PWD" --shared "$(cd ../.. && pwd)/shared"`,
        restart: 'if bin/supervisorctl pid >/dev/null; then bin/supervisorctl update; else bin/supervisord; fi',
        healthUrls: served.map((part) => `http://${node.address}:${portOf(part)}/`),
        haproxyServers: served.map((part) => backendName(node, part)),
      };
    },
  };
}
