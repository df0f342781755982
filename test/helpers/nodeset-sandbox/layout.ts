/**
 * The sandbox's fixed network layout and the per-run file layout. Inside a sandbox every name
 * and address below exists only there, so they can stay constant across runs (parallel runs
 * each have their own network namespace); only the file tree is per run.
 *   bridge zs-br0 = 10.231.0.1 (the controller: where ansible-playbook and the probes run)
 *   host <name>   = network namespace zs-<name>, veth zs-<name>-h on the bridge, eth0 inside
 */
import * as path from 'node:path';

export const BRIDGE = 'zs-br0';
export const SUBNET = '10.231.0';
export const CONTROLLER_ADDRESS = `${SUBNET}.1`;
export const PREFIX_LENGTH = 24;
/** Every link and namespace name the harness makes starts with this; leftover checks look for it. */
export const NAME_PREFIX = 'zs-';

export interface HostSpec {
  /** Inventory name; also the host's hostname and part of its link names (so at most 10 characters). */
  name: string;
  /** 10.231.0.N; defaults from the name (appN -> .1N, bal -> .20, db -> .30). */
  address?: string;
  /** Inventory group; defaults from the name (appN -> appservers, bal -> balancer, db -> db). */
  group?: string;
}

export interface HostLayout {
  name: string;
  address: string;
  group: string;
  netns: string;
  veth: string;
  /** <root>/hosts/<name>: sshd's config, keys, pid file and log, the host's HOME and deploy root. */
  dir: string;
  home: string;
  deployRoot: string;
}

const DEFAULTS: Array<[RegExp, (m: RegExpMatchArray) => number, string]> = [
  [/^app([1-9])$/, (m) => 10 + Number(m[1]), 'appservers'],
  [/^bal$/, () => 20, 'balancer'],
  [/^db$/, () => 30, 'db'],
];

function defaults(name: string): { octet?: number; group?: string } {
  for (const [pattern, octet, group] of DEFAULTS) {
    const m = name.match(pattern);
    if (m) return { octet: octet(m), group };
  }
  return {};
}

/**
 * Resolves host specs to their layout; throws on a bad name, an address outside the sandbox's subnet, or a duplicate.
 */
export function layOutHosts(root: string, specs: Array<HostSpec | string>): HostLayout[] {
  const seen = new Map<string, string>();
  return specs.map((given) => {
    const spec = typeof given === 'string' ? { name: given } : given;
    if (!/^[a-z][a-z0-9]{0,9}$/.test(spec.name))
      throw new Error(
        `host name ${JSON.stringify(spec.name)}: use ` +
          `1-10 lower-case letters and digits (it becomes part of a 15-character link name)`,
      );
    const fallback = defaults(spec.name);
    const address = spec.address ?? (fallback.octet ? `${SUBNET}.${fallback.octet}` : undefined);
    if (!address) throw new Error(`host ${spec.name}: no default address for this name; give one (${SUBNET}.2-254)`);
    const octet = address.startsWith(`${SUBNET}.`) ? Number(address.slice(SUBNET.length + 1)) : NaN;
    if (!Number.isInteger(octet) || octet < 2 || octet > 254)
      throw new Error(`host ${spec.name}: address ` + `${address} is not in ${SUBNET}.2-254, the sandbox's own subnet`);
    for (const key of [`name ${spec.name}`, `address ${address}`]) {
      if (seen.has(key)) throw new Error(`host ${spec.name}: duplicate ${key} (also that of ${seen.get(key)})`);
      seen.set(key, spec.name);
    }
    const dir = path.join(root, 'hosts', spec.name);
    return {
      name: spec.name,
      address,
      group: spec.group ?? fallback.group ?? 'nodes',
      netns: `${NAME_PREFIX}${spec.name}`,
      veth: `${NAME_PREFIX}${spec.name}-h`,
      dir,
      home: path.join(dir, 'home'),
      deployRoot: path.join(dir, 'deploy'),
    };
  });
}
