/**
 * The commands a deploy runs on each node, and where the balancer's haproxy takes runtime
 * commands. The playbooks are the same for every nodeset; these say what "assemble", "check",
 * "restart" and "healthy" mean for a node's tree.
 */
import * as path from 'node:path';
import type { Nodeset, NodesetNode } from '../model';

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

export interface DeployHooks {
  commands(node: NodesetNode): NodeCommands;
  haproxy?: HaproxyAccess;
}

/**
 * For assembled trees: the node assembles itself with the Zetaserver installed on it
 * ([nodeset] zetaserver), then hands its new tree to the tree's own process manager
 * (`bin/supervisorctl update` applies a new assembly to a running stack; `bin/supervisord` starts
 * one that is not running).
 */
export function assembledTreeHooks(nodeset: Nodeset): DeployHooks {
  const config = path.basename(nodeset.file);
  return {
    commands: (node) => ({
      assemble: `${nodeset.zetaserver}/bin/assemble -c ${config} nodeset assemble ${node.short} --target "$PWD"`,
      restart: 'if bin/supervisorctl status >/dev/null 2>&1; then bin/supervisorctl update; else bin/supervisord; fi',
      healthUrls: [],
      haproxyServers: [],
    }),
  };
}
