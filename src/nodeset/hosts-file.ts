/**
 * `etc/hosts.nodeset`: every node of the set, in /etc/hosts form (address, full name, short
 * name; a balancer's public names after its own), the same on every node. Written into a
 * node's tree by the template part assemble-node adds; with `write-etc-hosts` the deploy
 * merges it into the node's /etc/hosts.
 */
import type { Nodeset } from './model';

export const HOSTS_FILE = 'etc/hosts.nodeset';

export function hostsFileText(nodeset: Nodeset): string {
  const lines = [`# nodeset ${nodeset.name}: every node (generated; edit the nodeset file, not this one)`];
  for (const role of nodeset.roles) {
    for (const node of role.nodes) {
      const names = [node.name, ...(node.short !== node.name ? [node.short] : []), ...role.hostnames];
      lines.push(`${node.address}\t${[...new Set(names)].join(' ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
