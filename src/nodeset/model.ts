/**
 * The nodeset as data: one configuration, many hosts. `loadNodeset` (load.ts) makes it from a
 * nodeset file's [nodeset] and [role.NAME] sections; assembling a node (assemble-node.ts), the
 * inventory and the deploy read it. Nothing here reads a file.
 *
 *     [nodeset]                          [role.appserver]
 *     name = example                     addresses = 10.231.0.11 10.231.0.12 10.231.0.13
 *     base-domain = zeta.test            node-name = app{{n}}.${nodeset:base-domain}
 *     deploy-root = /srv/zetaserver      parts = instance1 instance2
 */

/** What a role's nodes do in a rolling deploy: serve the application, route to it, or hold its data. */
export type RoleKind = 'appserver' | 'balancer' | 'service';

export interface NodesetNode {
  /** Full name, from the role's node-name: `app1.zeta.test`. */
  name: string;
  /** The name up to its first dot: `app1` (inventory host name, the command lines' NODE). */
  short: string;
  role: string;
  kind: RoleKind;
  /** An IPv4 or IPv6 literal; every service of the node binds it. */
  address: string;
  /** The role's parts: the parts that run programs on this node (the common parts come on top). */
  parts: string[];
}

export interface NodesetRole {
  /** `appserver` for `[role.appserver]`. */
  name: string;
  kind: RoleKind;
  parts: string[];
  nodes: NodesetNode[];
  /** Run once per release on the first app node, after its switch. */
  updateCommand?: string;
  /** false: a release whose update ran cannot be rolled back automatically. */
  updateReversible: boolean;
  /** Public names served by the role (balancer: the site's names); written into the hosts file. */
  hostnames: string[];
  /**
   * The options of the hosts section (`[hosts]`) that say where this role's services are: on the
   * role's nodes each is the node's own address, on other nodes the role's first node's address.
   * Default: the role's parts that are options of the hosts section.
   */
  hostsOptions: string[];
}

export interface Nodeset {
  name: string;
  /** The nodeset file, absolute. */
  file: string;
  baseDomain: string;
  sshUser: string;
  sshKey?: string;
  /** `<deploy-root>/releases/<id>/`, `current`, `shared/` on every node. */
  deployRoot: string;
  keepReleases: number;
  /** Batch sizes of the rolling deploy after the canary: numbers of nodes or percentages ("50%"). */
  serial: (number | string)[];
  writeEtcHosts: boolean;
  /** Where Zetaserver is installed on the nodes (default: this installation's own directory). */
  zetaserver: string;
  /** The section whose options name hosts (`hosts` in the example deployment). */
  hostsSection: string;
  /** Options of the hosts section that are each node's own address on every node (the panel: `supervisor`). */
  nodeHostsOptions: string[];
  /**
   * Files and folders beside the nodeset file that a node's tree needs besides the configuration
   * (the application, templates), relative to that directory: copied into a tree built elsewhere,
   * shipped by a deploy.
   */
  sources: string[];
  /** The directory `sources` are relative to: that of the file that set them (default: the nodeset file's). */
  sourcesDirectory: string;
  /** Parts no role names that run no program (templates, builds, the process manager): on every node. */
  commonParts: string[];
  roles: NodesetRole[];
  /** Every node, in role order then address order. */
  nodes: NodesetNode[];
  /** `<dir of nodeset.cfg>/.nodeset/<name>/`: inventory, playbooks, per-node builds. */
  controlDir: string;
  /** The command-line assignments the nodeset was loaded with: every node's tree gets them too. */
  overrides: Override[];
}

/** A command-line assignment `section:option=value`, as bin/assemble takes them. */
export type Override = string;

/** The nodes of one kind, in order. */
export function nodesOfKind(nodeset: Nodeset, kind: RoleKind): NodesetNode[] {
  return nodeset.nodes.filter((node) => node.kind === kind);
}

/** A node by its full or short name. */
export function findNode(nodeset: Nodeset, name: string): NodesetNode | undefined {
  return nodeset.nodes.find((node) => node.name === name || node.short === name);
}
