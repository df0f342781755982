/**
 * The control directory (`<dir of nodeset.cfg>/.nodeset/<name>/`): the inventory, ansible.cfg and
 * the playbooks, written afresh on every run so that an operator can read (and re-run) exactly
 * what ran. Ansible's own state (HOME, local temporary files) stays there too, never in root's home.
 */
import { chmodSync, copyFileSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { templatesDir } from '../../util/install-root';
import type { Nodeset } from '../model';
import { renderAnsibleCfg } from './ansible-cfg';
import { sshOptions } from './ssh-options';
import { commandLine } from '../../execute/exec';
import { renderInventory, type RemovedHost } from './inventory';
import type { AnsibleSettings } from './settings';

export interface ControlFiles {
  dir: string;
  config: string;
  inventory: string;
  home: string;
  /** Playbook name (`activate`) -> its file. */
  playbooks: Record<string, string>;
  /** rsync's remote shell to a node: Ansible's ssh options (its master connection), user and key. */
  rsh: string;
}

export function playbookSources(): string {
  return path.join(templatesDir(), 'nodeset');
}

export function writeControlFiles(nodeset: Nodeset, settings: AnsibleSettings): ControlFiles {
  const dir = path.join(nodeset.controlDir, 'ansible');
  const files: ControlFiles = {
    dir,
    config: path.join(dir, 'ansible.cfg'),
    inventory: path.join(dir, 'inventory.ini'),
    home: path.join(dir, 'home'),
    playbooks: {},
    rsh: commandLine([
      'ssh',
      ...sshOptions(settings),
      '-l',
      nodeset.sshUser,
      ...(nodeset.sshKey ? ['-i', nodeset.sshKey] : []),
    ]),
  };
  mkdirSync(path.join(dir, 'tmp'), { recursive: true });
  mkdirSync(files.home, { recursive: true });
  // ssh creates neither the socket directory nor its parents when ControlPath is in ssh_args
  mkdirSync(settings.socketDir, { recursive: true, mode: 0o700 });
  chmodSync(settings.socketDir, 0o700);
  writeFileSync(
    files.config,
    renderAnsibleCfg(nodeset, settings, { inventory: files.inventory, localTmp: path.join(dir, 'tmp') }),
  );
  writeFileSync(files.inventory, renderInventory(nodeset, settings));
  // the playbooks, and the helpers they read (balancer-side.py, through lookup('file'))
  for (const name of readdirSync(playbookSources())) {
    const target = path.join(dir, name);
    copyFileSync(path.join(playbookSources(), name), target);
    // *.tasks.yml are tasks the playbooks import, not playbooks
    if (name.endsWith('.yml') && !name.endsWith('.tasks.yml')) files.playbooks[name.replace(/\.yml$/, '')] = target;
  }
  return files;
}

/** The inventory again, with the nodes removed from the nodeset that a deploy takes out of service. */
export function writeInventory(
  files: ControlFiles,
  nodeset: Nodeset,
  settings: AnsibleSettings,
  removed: RemovedHost[],
): void {
  writeFileSync(files.inventory, renderInventory(nodeset, settings, removed));
}
