/**
 * The command line that makes a sandbox: new PID, network and mount namespaces, from which
 * nothing outlives its PID 1. `--kill-child` kills PID 1 when unshare itself dies (even by
 * SIGKILL); when PID 1 exits the kernel kills every process left in the PID namespace, and
 * with them go the network namespaces, links and mounts made inside.
 *
 * PID 1 is bash, not the scenario's node: bash reaps the orphans reparented to it (daemons that
 * forked, servers started over ssh), so a stopped process disappears at once instead of staying
 * a zombie. It stays the parent rather than exec'ing (the command is not its last), and it gives
 * the sandbox its own /run/netns (a tmpfs: `ip netns add` names never reach the real /run/netns)
 * and an up loopback.
 */
export const UNSHARE_ARGV = [
  'unshare',
  '--pid',
  '--fork',
  '--kill-child',
  '--mount-proc',
  '--net',
  '--mount',
  '--propagation',
  'private',
];

const PID1_SCRIPT = [
  'set -e',
  'mkdir -p /run/netns',
  'mount -t tmpfs -o mode=0755,size=1m zs-netns /run/netns',
  'ip link set lo up',
  'set +e',
  '"$@"',
  'exit $?',
].join('\n');

/** argv that runs `command` inside a fresh sandbox; `wrap` goes first (e.g. setpriv, to drop capabilities). */
export function sandboxArgv(command: string[], wrap: string[] = []): string[] {
  return [...wrap, ...UNSHARE_ARGV, 'bash', '-c', PID1_SCRIPT, 'zs-sandbox', ...command];
}
