/**
 * Writes the Ansible controller files for a sandbox: ansible.cfg (always passed as an explicit
 * ANSIBLE_CONFIG: Ansible ignores an ansible.cfg in a world-writable directory) and an INI
 * inventory with one group per role, each host's address and deploy root. The nodeset feature
 * will generate the same two files from a nodeset config.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SandboxHosts } from './hosts';
import { sshOptions } from './ssh';

export interface AnsibleFiles {
  dir: string;
  config: string;
  inventory: string;
  /** The controller's HOME while Ansible runs: ~/.ansible stays in the run's tree, not root's. */
  home: string;
}

export interface InventoryOptions {
  /** Variables for every host ([nodeset:vars]). */
  vars?: Record<string, string | number>;
  /** ControlPersist of the ssh masters (default 60s); 'no' for a fresh connection per command. */
  controlPersist?: string;
}

function iniValue(value: string | number): string {
  const text = String(value);
  if (/[\s"'#;=]/.test(text))
    throw new Error(
      `inventory value ${JSON.stringify(text)}: spaces, quotes, '#', ` + `';' and '=' are not supported here`,
    );
  return text;
}

export function renderAnsibleConfig(hosts: SandboxHosts, files: AnsibleFiles, options: InventoryOptions = {}): string {
  return [
    '[defaults]',
    `inventory = ${files.inventory}`,
    'remote_user = root',
    `private_key_file = ${hosts.privateKey}`,
    // python3 on root's PATH may be a pyenv shim; Debian's has what the modules need
    'interpreter_python = /usr/bin/python3',
    // host keys are pinned in known_hosts (written when the hosts came up): checking stays on
    'host_key_checking = True',
    'gathering = explicit',
    'forks = 10',
    'retry_files_enabled = False',
    `local_tmp = ${path.join(files.dir, 'tmp')}`,
    // results as one JSON document on stdout, for playbooks and ad-hoc commands alike;
    // per-host stats there tell "unreachable" from "failed" (the exit status 4 also means a parse
    // error). profile_tasks or timer would print into the JSON: enable them only by hand.
    'stdout_callback = ansible.posix.json',
    'bin_ansible_callbacks = True',
    'nocolor = True',
    '',
    '[ssh_connection]',
    // ControlPath sits in ssh_args (one %C, see ssh.ts) so that synchronize's rsync, given
    // use_ssh_args, shares the same master connection
    `ssh_args = ${sshOptions(hosts, options.controlPersist).join(' ')}`,
    'pipelining = True',
    'timeout = 10',
    '',
  ].join('\n');
}

export function renderInventory(hosts: SandboxHosts, options: InventoryOptions = {}): string {
  const groups = new Map<string, string[]>();
  for (const h of hosts.hosts) groups.set(h.group, [...(groups.get(h.group) ?? []), h.name]);
  const lines = [
    '# Sandbox hosts: each is a network namespace with its own sshd. They share one',
    '# filesystem, so each has its ' + 'own deploy_root; on real machines it would be equal.',
  ];
  for (const [group, names] of groups) {
    lines.push('', `[${group}]`);
    for (const name of names) {
      const h = hosts.host(name);
      lines.push(`${name} ansible_host=${h.address} deploy_root=${h.deployRoot}`);
    }
  }
  lines.push('', '[nodeset:children]', ...groups.keys());
  const vars = Object.entries(options.vars ?? {});
  if (vars.length) lines.push('', '[nodeset:vars]', ...vars.map(([k, v]) => `${k}=${iniValue(v)}`));
  return lines.join('\n') + '\n';
}

export function writeAnsibleFiles(hosts: SandboxHosts, options: InventoryOptions = {}): AnsibleFiles {
  const dir = path.join(hosts.root, 'ansible');
  const files: AnsibleFiles = {
    dir,
    config: path.join(dir, 'ansible.cfg'),
    inventory: path.join(dir, 'inventory.ini'),
    home: path.join(dir, 'home'),
  };
  mkdirSync(files.home, { recursive: true });
  writeFileSync(files.config, renderAnsibleConfig(hosts, files, options));
  writeFileSync(files.inventory, renderInventory(hosts, options));
  return files;
}
