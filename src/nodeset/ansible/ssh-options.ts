/**
 * The ssh client options of every connection to a node: Ansible's ssh_args, and rsync's remote
 * shell (ControlFiles.rsh), so that both share one master connection per node.
 */
import * as path from 'node:path';
import type { AnsibleSettings } from './settings';

/**
 * ControlPath has ONE %C: ssh expands it to a hash of (local host, remote host, port, user), a
 * socket per node. Ansible %-formats its own control_path (%%C there), but ssh_args goes to ssh
 * verbatim: %%C would reach ssh as a literal "%C", one socket for every node, and every command
 * would run on the first node that connected.
 */
export function sshOptions(settings: AnsibleSettings): string[] {
  return [
    ['-F', '/dev/null'], // neither ~/.ssh/config nor /etc/ssh/ssh_config decide where we connect
    ['-o', 'ControlMaster=auto'],
    ['-o', `ControlPersist=${settings.controlPersist}`],
    ['-o', `ControlPath=${path.join(settings.socketDir, '%C')}`],
    ['-o', 'IdentitiesOnly=yes'],
    ['-o', 'BatchMode=yes'],
    ['-o', 'StrictHostKeyChecking=yes'],
    ['-o', `UserKnownHostsFile=${settings.knownHosts}`],
    ['-o', 'GlobalKnownHostsFile=/dev/null'],
    ['-o', 'ConnectTimeout=5'],
    // a host that vanishes while its master connection is open sends no reset: without
    // keepalives every command through the master would wait for TCP's own timeout (minutes)
    ['-o', 'ServerAliveInterval=3'],
    ['-o', 'ServerAliveCountMax=3'],
  ].flat();
}
