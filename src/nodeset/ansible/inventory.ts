/**
 * The INI inventory of a nodeset: one group per role, one per kind (appservers, balancers,
 * services), every node with its address and deploy root, and the set's variables; and, while a
 * deploy takes them out of service, the nodes removed from it.
 */
import type { Nodeset } from '../model';
import { deployRootOf, type AnsibleSettings } from './settings';

/** The group of each kind: the playbooks address these, whatever the roles are called. */
export const KIND_GROUPS = { appserver: 'appservers', balancer: 'balancers', service: 'services' } as const;

function iniValue(value: string): string {
  // an INI inventory value ends at white space; the settings here never need any
  if (/[\s"'#;]/.test(value)) throw new Error(`inventory value ${JSON.stringify(value)} holds white space or quotes`);
  return value;
}

/** A group name Ansible accepts: letters, digits and underscores. */
export function groupName(role: string): string {
  return `role_${role.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/** A node no longer in the nodeset, still running somewhere (deploy/removed.ts). */
export interface RemovedHost {
  short: string;
  address: string;
}

export function renderInventory(nodeset: Nodeset, settings: AnsibleSettings, removed: RemovedHost[] = []): string {
  const lines = [`# Nodeset ${nodeset.name}: written by bin/assemble nodeset (made afresh on every run).`];
  for (const role of nodeset.roles) {
    lines.push('', `[${groupName(role.name)}]`);
    for (const node of role.nodes) {
      const root = deployRootOf(nodeset, settings, node);
      const rootVar = root === nodeset.deployRoot ? '' : ` deploy_root=${iniValue(root)}`;
      lines.push(`${node.short} ansible_host=${iniValue(node.address)} node_name=${iniValue(node.name)}${rootVar}`);
    }
  }
  for (const [kind, group] of Object.entries(KIND_GROUPS)) {
    const roles = nodeset.roles.filter((role) => role.kind === kind);
    lines.push('', `[${group}:children]`, ...roles.map((role) => groupName(role.name)));
  }
  lines.push('', '[nodeset:children]', ...Object.values(KIND_GROUPS));
  // outside the nodeset group: only remove.yml addresses them
  if (removed.length) {
    lines.push('', '[removed]');
    for (const host of removed) {
      const root = settings.deployRootOf[host.short] ?? nodeset.deployRoot;
      lines.push(`${host.short} ansible_host=${iniValue(host.address)} deploy_root=${iniValue(root)}`);
    }
  }
  lines.push(
    '',
    '[nodeset:vars]',
    `deploy_root=${iniValue(nodeset.deployRoot)}`,
    `keep_releases=${nodeset.keepReleases}`,
    `zetaserver=${iniValue(nodeset.zetaserver)}`,
  );
  return lines.join('\n') + '\n';
}
