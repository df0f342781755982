/**
 * Whether this machine can make sandboxes: the tools are installed, and a sandbox can be made
 * and can hold a bridge, a network namespace and a veth between them. Without CAP_SYS_ADMIN
 * and CAP_NET_ADMIN (an unprivileged container, a CI runner that is not root) `unshare` fails
 * with "Operation not permitted": the suite is then skipped with that reason, never failed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { sandboxArgv } from './sandbox-command';

export interface Probe {
  available: boolean;
  /** Why not, in one line, for node:test's `skip`. */
  reason?: string;
}

const TOOLS: Array<[string, string]> = [
  ['/usr/bin/unshare', 'util-linux'],
  ['/usr/bin/setpriv', 'util-linux'],
  ['/usr/bin/ip', 'iproute2'],
  ['/usr/sbin/sshd', 'openssh-server'],
  ['/usr/bin/ssh', 'openssh-client'],
  ['/usr/bin/ssh-keygen', 'openssh-client'],
  ['/usr/lib/openssh/sftp-server', 'openssh-sftp-server'],
  ['/usr/bin/ansible-playbook', 'ansible'],
  ['/usr/lib/python3/dist-packages/ansible_collections/ansible/posix/plugins/callback/json.py', 'ansible'],
  ['/usr/bin/rsync', 'rsync'],
  ['/usr/bin/curl', 'curl'],
  ['/usr/bin/python3', 'python3'],
];

// everything a host needs: the bridge, a named network namespace, a veth with one end inside
const PROBE_SCRIPT =
  'ip link add zs-br0 type bridge && ip netns add zs-probe && ip link add zs-probe-h type ' +
  'veth peer name eth0 netns zs-probe && ip -n zs-probe link set eth0 up';

export function probeSandbox(options: { wrap?: string[]; extraTools?: Array<[string, string]> } = {}): Probe {
  const missing = [...TOOLS, ...(options.extraTools ?? [])].filter(([file]) => !existsSync(file));
  if (missing.length) {
    const packages = [...new Set(missing.map(([, pkg]) => pkg))].join(' ');
    return {
      available: false,
      reason:
        `nodeset sandbox: missing ${missing.map(([f]) => f).join(', ')} ` +
        `(Debian: apt-get install ${packages}; npm test's setup installs them)`,
    };
  }
  const argv = sandboxArgv(['bash', '-c', PROBE_SCRIPT], options.wrap);
  const result = spawnSync(argv[0], argv.slice(1), {
    encoding: 'utf8',
    timeout: 10_000,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (result.status === 0) return { available: true };
  const said = (result.stderr || result.error?.message || `exit ${result.status ?? result.signal}`)
    .trim()
    .split('\n')[0];
  return {
    available: false,
    reason:
      `nodeset sandbox: this machine does not allow network namespaces here ` +
      `(${said}); these tests need root with CAP_SYS_ADMIN and CAP_NET_ADMIN`,
  };
}
