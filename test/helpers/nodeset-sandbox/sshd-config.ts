/**
 * A test host's sshd_config: key-only root login on the host's own address, with every file in
 * the run's tree. Each line that differs from a stock sshd says why (the study's gotchas).
 */
import * as path from 'node:path';
import type { HostLayout } from './layout';

export interface SshdFiles {
  config: string;
  hostKey: string;
  pidFile: string;
  log: string;
}

export function sshdFiles(host: HostLayout): SshdFiles {
  return {
    config: path.join(host.dir, 'etc', 'sshd_config'),
    hostKey: path.join(host.dir, 'etc', 'ssh_host_ed25519_key'),
    pidFile: path.join(host.dir, 'run', 'sshd.pid'),
    log: path.join(host.dir, 'run', 'sshd.log'),
  };
}

export function renderSshdConfig(host: HostLayout, authorizedKeys: string): string {
  const files = sshdFiles(host);
  return [
    `ListenAddress ${host.address}`,
    'Port 22',
    `HostKey ${files.hostKey}`,
    // written only after sshd listens: the readiness signal
    `PidFile ${files.pidFile}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    `AuthorizedKeysFile ${authorizedKeys}`,
    // the run's tree is below /tmp (mode 1777): StrictModes would refuse the key file
    'StrictModes no',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'UseDNS no',
    'PrintMotd no',
    // Ansible opens several sessions per host at once; the default 10:30:100 drops some
    'MaxStartups 100:30:200',
    'MaxSessions 100',
    'Subsystem sftp /usr/lib/openssh/sftp-server',
    // a HOME of its own: bash skips root's ~/.bashrc (a pyenv init: 0.15 s per command and a
    // python3 that is not Debian's), and ~/.ansible/tmp is per host as on real machines
    `SetEnv HOME=${host.home}`,
    '',
  ].join('\n');
}
