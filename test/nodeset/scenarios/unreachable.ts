/**
 * A host whose sshd is stopped is unreachable, and the json callback says so per host, which
 * the exit status alone cannot: ansible-playbook exits 4 for an unreachable host and also for a
 * playbook that does not parse. Also shown: while a ControlPersist master to the host is still
 * open, a stopped sshd goes unnoticed (the master's session outlives its listener).
 */
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { runPlaybook, type AnsibleRun, type HostOutcome } from '../../helpers/nodeset-sandbox/ansible-run';
import { exec } from '../../helpers/nodeset-sandbox/exec';
import { stopSshd } from '../../helpers/nodeset-sandbox/hosts';
import type { Scenario } from '../../helpers/nodeset-sandbox/scenario';
import { sshOptions } from '../../helpers/nodeset-sandbox/ssh';
import { waitFor } from '../../helpers/wait';

export interface RunSummary {
  kind: string;
  code: number | null;
  hosts: Record<string, HostOutcome>;
  stderrStart: string;
  stdoutStart: string;
}

export interface UnreachableResult {
  before: RunSummary;
  masterStillOpen: RunSummary;
  unreachable: RunSummary;
  parseError: RunSummary;
}

const PLAY = [
  '- name: Touch every host',
  '  hosts: all',
  '  gather_facts: false',
  '  tasks:',
  '    - name: Say where we are',
  '      ansible.builtin.command: hostname',
  '      changed_when: false',
  '',
].join('\n');

const summary = (run: AnsibleRun): RunSummary => ({
  kind: run.kind,
  code: run.code,
  hosts: run.hosts,
  stderrStart: run.stderr.slice(0, 400),
  stdoutStart: run.stdout.slice(0, 200),
});

export const scenario: Scenario<null, UnreachableResult> = async (ctx) => {
  const playbook = path.join(ctx.ansible.dir, 'touch.yml');
  writeFileSync(playbook, PLAY);
  const options = { timeoutMs: 40_000 };
  const before = await runPlaybook(ctx.ansible, playbook, options);
  const down = ctx.hosts.host('app2');
  await stopSshd(down);
  const masterStillOpen = await runPlaybook(ctx.ansible, playbook, options);
  // close app2's master, as a fresh controller would find it; `-O exit` only asks it to go, and a
  // connection made while it is still going gets a broken pipe instead of sshd's refusal
  const master = (command: string): ReturnType<typeof exec> =>
    exec(['ssh', ...sshOptions(ctx.hosts), '-O', command, '-l', 'root', down.address], { timeoutMs: 5000 });
  await master('exit');
  await waitFor(async () => (await master('check')).code !== 0, {
    what: "app2's ssh master to exit",
    timeoutMs: 10_000,
  });
  const unreachable = await runPlaybook(ctx.ansible, playbook, options);
  const broken = path.join(ctx.ansible.dir, 'broken.yml');
  writeFileSync(broken, PLAY.replace('  hosts: all', '  hosts: all\n hosts: [unclosed'));
  const parseError = await runPlaybook(ctx.ansible, broken, options);
  return {
    before: summary(before),
    masterStillOpen: summary(masterStillOpen),
    unreachable: summary(unreachable),
    parseError: summary(parseError),
  };
};
