/**
 * The ssh client options every connection to a sandbox host uses: Ansible's (ansible.cfg's
 * ssh_args), rsync's through synchronize, and the harness's own `ssh`. One place, so that they
 * cannot drift apart.
 */
import * as path from 'node:path';
import type { HostLayout } from './layout';
import type { SandboxHosts } from './hosts';
import { exec, type ExecResult } from './exec';

/**
 * ssh options, without the key and the user (Ansible passes those itself).
 * ControlPath has ONE %C: ssh expands it to a hash of (local host, remote host, port, user), a
 * socket per host. Ansible's control_path is %-formatted and needs %%C, but ssh_args is passed
 * verbatim: %%C there reaches ssh as a literal "%C", one socket shared by every host, and every
 * command then runs on the first host that connected.
 */
export function sshOptions(hosts: SandboxHosts, controlPersist = '60s'): string[] {
  return [
    '-F',
    '/dev/null', // neither ~/.ssh/config nor /etc/ssh/ssh_config
    '-o',
    'ControlMaster=auto',
    '-o',
    `ControlPersist=${controlPersist}`,
    '-o',
    `ControlPath=${path.join(hosts.controlDir, '%C')}`,
    '-o',
    'IdentitiesOnly=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    `UserKnownHostsFile=${hosts.knownHosts}`,
    '-o',
    'GlobalKnownHostsFile=/dev/null',
    '-o',
    'ConnectTimeout=5',
  ];
}

/** Runs a shell command on a host over ssh (as root, with the deployer key), bounded. */
export function ssh(hosts: SandboxHosts, host: HostLayout, command: string, timeoutMs = 15_000): Promise<ExecResult> {
  return exec(['ssh', ...sshOptions(hosts), '-i', hosts.privateKey, '-l', 'root', host.address, '--', command], {
    timeoutMs,
  });
}
