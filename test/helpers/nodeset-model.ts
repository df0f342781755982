/**
 * A Nodeset value for tests of the deploy machinery that do not need a configuration file:
 * N app nodes (10.231.0.11...), one balancer (.20) and one service node (.30), as loadNodeset
 * would return them for the example nodeset.
 */
import * as path from 'node:path';
import type { Nodeset, NodesetNode, NodesetRole, RoleKind } from '../../src/nodeset/model';

function role(name: string, kind: RoleKind, parts: string[], nodes: Array<[string, string]>): NodesetRole {
  const members: NodesetNode[] = nodes.map(([short, address]) => ({
    name: `${short}.zeta.test`,
    short,
    role: name,
    kind,
    address,
    parts,
  }));
  return { name, kind, parts, nodes: members, updateReversible: true, hostnames: [], hostsOptions: [] };
}

export interface ModelOptions {
  /** Include the service node db (default true). */
  service?: boolean;
  updateCommand?: string;
  updateReversible?: boolean;
}

export function modelNodeset(
  dir: string,
  appNodes = 3,
  model: ModelOptions = {},
  options: Partial<Nodeset> = {},
): Nodeset {
  const apps: Array<[string, string]> = Array.from({ length: appNodes }, (_, i) => [
    `app${i + 1}`,
    `10.231.0.${11 + i}`,
  ]);
  const roles = [
    role('appserver', 'appserver', ['instance1'], apps),
    role('balancer', 'balancer', ['haproxy'], [['bal', '10.231.0.20']]),
    ...(model.service === false ? [] : [role('service-mysql', 'service', ['mysql'], [['db', '10.231.0.30']])]),
  ];
  roles[0].updateCommand = model.updateCommand;
  roles[0].updateReversible = model.updateReversible ?? true;
  return {
    name: 'example',
    file: path.join(dir, 'nodeset.cfg'),
    baseDomain: 'zeta.test',
    sshUser: 'root',
    deployRoot: '/srv/zetaserver',
    keepReleases: 5,
    serial: [1, '50%'],
    writeEtcHosts: false,
    zetaserver: '/opt/zetaserver',
    hostsSection: 'hosts',
    nodeHostsOptions: [],
    commonParts: [],
    roles,
    nodes: roles.flatMap((r) => r.nodes),
    controlDir: path.join(dir, '.nodeset', 'example'),
    sources: [],
    sourcesDirectory: dir,
    overrides: [],
    ...options,
  };
}
