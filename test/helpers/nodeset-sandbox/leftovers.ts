/**
 * What a sandbox could leave in the real host, looked at from outside: links, named network
 * namespaces and /run/netns entries with the harness's prefix that were not there before the run,
 * and live processes in the sandbox's PID namespace or in any of its network namespaces. Used
 * after every test, so that "teardown is kernel-guaranteed" is checked, not assumed.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { NAME_PREFIX } from './layout';
import type { SandboxIdentity } from './scenario';
import { processAlive } from './process-alive';
import { waitFor } from '../wait';

/** zs-* links, named namespaces and /run/netns entries in the real host's namespaces. */
export function prefixedNames(): string[] {
  const links = spawnSync('ip', ['-o', 'link', 'show'], { encoding: 'utf8', timeout: 5000 })
    .stdout.split('\n')
    .map((l) => l.split(': ')[1]?.split('@')[0])
    .filter((n): n is string => !!n && n.startsWith(NAME_PREFIX))
    .map((n) => `link ${n}`);
  const netns = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8', timeout: 5000 })
    .stdout.split('\n')
    .map((l) => l.split(' ')[0])
    .filter((n) => n.startsWith(NAME_PREFIX))
    .map((n) => `netns ${n}`);
  const files = existsSync('/run/netns')
    ? readdirSync('/run/netns')
        .filter((n) => n.startsWith(NAME_PREFIX))
        .map((n) => `/run/netns/${n}`)
    : [];
  return [...new Set([...links, ...netns, ...files])];
}

function namespaceOf(pid: string, kind: 'pid' | 'net'): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/${kind}`);
  } catch {
    return undefined;
  }
}

export interface SandboxProcess {
  pid: number;
  command: string;
  netns?: string;
}

/** Live processes (real host's pid, command line) in the sandbox's PID namespace or any of its network namespaces. */
export function sandboxProcesses(identity: SandboxIdentity): SandboxProcess[] {
  const nets = new Set([identity.netNs, ...Object.values(identity.hostNetNs)]);
  const found: SandboxProcess[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    const netns = namespaceOf(pid, 'net');
    if (namespaceOf(pid, 'pid') !== identity.pidNs && !nets.has(netns ?? '')) continue;
    if (!processAlive(Number(pid))) continue;
    let command = '?';
    try {
      command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim().slice(0, 120);
    } catch {
      /* just exited */
    }
    found.push({ pid: Number(pid), command, netns });
  }
  return found;
}

/**
 * Everything the sandbox left behind: waits (bounded) for the kernel to finish killing, then
 * lists what is still there. `before` is prefixedNames() taken before the run (another user of
 * the zs- prefix on this machine is not ours).
 */
export async function findLeftovers(
  identity: SandboxIdentity | undefined,
  before: string[],
  waitMs = 5000,
): Promise<string[]> {
  const list = (): string[] => [
    ...prefixedNames().filter((n) => !before.includes(n)),
    ...(identity ? sandboxProcesses(identity).map((p) => `pid ${p.pid}: ${p.command}`) : []),
  ];
  let left = list();
  // what is still there after the wait is the answer, not an error
  const gone = (): boolean => (left = list()).length === 0;
  await waitFor(gone, { what: 'the sandbox to be gone', timeoutMs: waitMs, intervalMs: 50 }).catch(() => undefined);
  return left;
}
