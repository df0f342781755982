/**
 * ansible.cfg for a nodeset. It is always passed as an explicit ANSIBLE_CONFIG: Ansible ignores
 * an ansible.cfg found in a world-writable directory.
 */
import type { Nodeset } from '../model';
import type { AnsibleSettings } from './settings';
import { sshOptions } from './ssh-options';

export interface ControlPaths {
  inventory: string;
  /** Ansible's local temporary directory, inside the control directory. */
  localTmp: string;
}

export function renderAnsibleCfg(nodeset: Nodeset, settings: AnsibleSettings, paths: ControlPaths): string {
  return [
    `# Written by bin/assemble nodeset for ${nodeset.name} (made afresh on every run).`,
    '[defaults]',
    `inventory = ${paths.inventory}`,
    `remote_user = ${nodeset.sshUser}`,
    ...(nodeset.sshKey ? [`private_key_file = ${nodeset.sshKey}`] : []),
    // python3 on the nodes' PATH may be a pyenv shim; Debian's has what the modules need
    'interpreter_python = /usr/bin/python3',
    // host keys are pinned in known_hosts: no trust on first use
    'host_key_checking = True',
    'gathering = explicit',
    `forks = ${settings.forks}`,
    'retry_files_enabled = False',
    `local_tmp = ${paths.localTmp}`,
    // one JSON document on stdout: per-host stats tell "unreachable" from "failed" (the exit
    // status 4 means both, and a playbook that did not parse)
    'stdout_callback = ansible.posix.json',
    'bin_ansible_callbacks = True',
    'nocolor = True',
    '',
    '[ssh_connection]',
    `ssh_args = ${sshOptions(settings).join(' ')}`,
    'pipelining = True',
    // raw tasks: no tty, so their stdout and stderr stay apart (and lines end in \n alone)
    'usetty = False',
    'timeout = 10',
    '',
  ].join('\n');
}
