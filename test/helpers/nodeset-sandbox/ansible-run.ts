/**
 * Runs ansible-playbook or an ad-hoc `ansible` command against a sandbox's inventory, under a
 * timeout, and reads the ansible.posix.json callback's document into a per-host outcome. The exit
 * status alone is not enough: 4 means "some host unreachable" and also "the playbook did not
 * parse"; here the first comes with per-host stats and the second with no JSON at all.
 */
import type { AnsibleFiles } from './ansible-config';
import { exec, type ExecResult } from './exec';
import { parsePlaybookJson } from '../../../src/nodeset/ansible/run-playbook';

export type HostStatus = 'ok' | 'failed' | 'unreachable';

export interface HostOutcome {
  status: HostStatus;
  stats: Record<string, number>;
  /** The first failed or unreachable task on this host: its name and Ansible's message. */
  failure?: { task: string; msg: string };
}

export interface AnsibleRun extends ExecResult {
  /**
   * ok: every host that ran is ok; failed / unreachable: per host below; invalid: no JSON result (a parse or option
   * error); timeout: killed at its deadline.
   */
  kind: 'ok' | 'failed' | 'unreachable' | 'invalid' | 'timeout';
  /** Hosts that ran anything; a host the play never reached (after a stopped rollout) is absent. */
  hosts: Record<string, HostOutcome>;
  json?: AnsibleJson;
}

export interface TaskResult {
  failed?: boolean;
  unreachable?: boolean;
  changed?: boolean;
  skipped?: boolean;
  msg?: string;
  stdout?: string;
  rc?: number;
  [key: string]: unknown;
}

export interface AnsibleJson {
  plays: Array<{
    play: { name: string };
    tasks: Array<{
      task: { name: string; duration: { start: string; end: string } };
      hosts: Record<string, TaskResult>;
    }>;
  }>;
  stats: Record<string, Record<string, number>>;
}

export interface RunOptions {
  timeoutMs: number;
  extraVars?: Record<string, unknown>;
  limit?: string;
  env?: Record<string, string>;
}

function environment(files: AnsibleFiles, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: '/usr/sbin:/usr/bin:/sbin:/bin', // Debian's tools, never a pyenv shim
    HOME: files.home,
    LANG: 'C.UTF-8',
    ANSIBLE_CONFIG: files.config,
    ...extra,
  };
}

function outcomes(json: AnsibleJson): Record<string, HostOutcome> {
  const hosts: Record<string, HostOutcome> = {};
  for (const [name, stats] of Object.entries(json.stats)) {
    const status: HostStatus = stats.unreachable > 0 ? 'unreachable' : stats.failures > 0 ? 'failed' : 'ok';
    hosts[name] = { status, stats };
  }
  for (const play of json.plays) {
    for (const task of play.tasks) {
      for (const [name, result] of Object.entries(task.hosts)) {
        const outcome = hosts[name];
        if (outcome && !outcome.failure && (result.unreachable || (result.failed && !result.ignore_errors))) {
          outcome.failure = { task: task.task.name, msg: String(result.msg ?? '') };
        }
      }
    }
  }
  return hosts;
}

export function readRun(result: ExecResult): AnsibleRun {
  if (result.timedOut) return { ...result, kind: 'timeout', hosts: {} };
  const json = parsePlaybookJson<AnsibleJson>(result.stdout);
  if (!json) return { ...result, kind: 'invalid', hosts: {} };
  const hosts = outcomes(json);
  const statuses = Object.values(hosts).map((h) => h.status);
  const kind = statuses.includes('unreachable')
    ? 'unreachable'
    : statuses.includes('failed') || result.code !== 0
      ? 'failed'
      : 'ok';
  return { ...result, kind, hosts, json };
}

export async function runPlaybook(files: AnsibleFiles, playbook: string, options: RunOptions): Promise<AnsibleRun> {
  const argv = ['/usr/bin/ansible-playbook', playbook];
  if (options.limit) argv.push('--limit', options.limit);
  if (options.extraVars) argv.push('--extra-vars', JSON.stringify(options.extraVars));
  return readRun(
    await exec(argv, { timeoutMs: options.timeoutMs, env: environment(files, options.env), cwd: files.dir }),
  );
}

export async function runAdHoc(
  files: AnsibleFiles,
  pattern: string,
  module: string,
  args: string | undefined,
  options: RunOptions,
): Promise<AnsibleRun> {
  const argv = ['/usr/bin/ansible', pattern, '-m', module, ...(args === undefined ? [] : ['-a', args])];
  if (options.limit) argv.push('--limit', options.limit);
  if (options.extraVars) argv.push('--extra-vars', JSON.stringify(options.extraVars));
  return readRun(
    await exec(argv, { timeoutMs: options.timeoutMs, env: environment(files, options.env), cwd: files.dir }),
  );
}

/**
 * When the (last run of the) named task ended, as Date.now() time: for lining up a run's steps with a request loop's
 * samples.
 */
export function taskEnded(run: AnsibleRun, name: string): number {
  const task = run.json?.plays
    .flatMap((p) => p.tasks)
    .filter((t) => t.task.name === name)
    .pop();
  if (!task) throw new Error(`no task ${JSON.stringify(name)} in this run`);
  return Date.parse(task.task.duration.end);
}

/** The per-host stdout of the first task of a run (an ad-hoc command's output), by host. */
export function taskOutputs(run: AnsibleRun, taskIndex = 0): Record<string, TaskResult> {
  const task = run.json?.plays.flatMap((p) => p.tasks)[taskIndex];
  return task ? task.hosts : {};
}
