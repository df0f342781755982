/**
 * Runs /usr/bin/ansible-playbook on the control directory's files, bounded, and reads the
 * ansible.posix.json callback's document into per-node results: ok / changed / failed /
 * unreachable with the failing task's name and message. The exit status alone cannot be read:
 * 4 means "a node was unreachable" and also "the playbook did not parse" (then there is no JSON).
 */
import { spawn } from 'node:child_process';
import type { ControlFiles } from './control-files';

export type NodeStatus = 'ok' | 'changed' | 'failed' | 'unreachable';

export interface NodeResult {
  status: NodeStatus;
  stats: Record<string, number>;
  /**
   * The first failed or unreachable task on this node, with Ansible's message and output. `task`
   * is the step that failed: the task's name, or for a task of several steps the last
   * `step: NAME` line it printed.
   */
  failure?: { task: string; msg: string; stdout?: string; stderr?: string };
}

export interface TaskResult {
  failed?: boolean;
  unreachable?: boolean;
  changed?: boolean;
  skipped?: boolean;
  msg?: string;
  stdout?: string;
  stderr?: string;
  results?: TaskResult[];
  [key: string]: unknown;
}

export interface PlaybookJson {
  plays: Array<{
    play: { name: string };
    tasks: Array<{
      task: { name: string; duration?: { start?: string; end?: string } };
      hosts: Record<string, TaskResult>;
    }>;
  }>;
  stats: Record<string, Record<string, number>>;
}

export interface PlaybookRun {
  /** invalid: no JSON at all (a parse or option error); timeout: killed at its deadline. */
  kind: 'ok' | 'failed' | 'unreachable' | 'invalid' | 'timeout';
  /** Nodes that ran anything; a node a stopped rollout never reached is absent. */
  nodes: Record<string, NodeResult>;
  json?: PlaybookJson;
  code: number | null;
  stderr: string;
  durationMs: number;
}

export interface PlaybookOptions {
  limit?: string[];
  extraVars?: Record<string, unknown>;
  timeoutMs: number;
}

/** The json callback's document in a playbook's output (warnings may come first); none when there is no whole one. */
export function parsePlaybookJson<T extends PlaybookJson = PlaybookJson>(stdout: string): T | undefined {
  const start = stdout.indexOf('{');
  if (start < 0) return undefined;
  try {
    const json = JSON.parse(stdout.slice(start)) as T;
    return json && typeof json.stats === 'object' && Array.isArray(json.plays) ? json : undefined;
  } catch {
    return undefined;
  }
}

/** A loop's result holds its items; the failing one tells why. */
function failedItem(result: TaskResult): TaskResult {
  return result.results?.find((item) => item.failed || item.unreachable) ?? result;
}

export function nodeResults(json: PlaybookJson): Record<string, NodeResult> {
  const nodes: Record<string, NodeResult> = {};
  for (const [name, stats] of Object.entries(json.stats)) {
    const status: NodeStatus =
      stats.unreachable > 0 ? 'unreachable' : stats.failures > 0 ? 'failed' : stats.changed > 0 ? 'changed' : 'ok';
    nodes[name] = { status, stats };
  }
  for (const task of json.plays.flatMap((play) => play.tasks)) {
    for (const [name, result] of Object.entries(task.hosts)) {
      const node = nodes[name];
      if (node && !node.failure && (result.unreachable || (result.failed && !result.ignore_errors))) {
        const item = failedItem(result);
        const steps = [...String(item.stdout ?? '').matchAll(/^step: (\S+)$/gm)];
        node.failure = { task: steps.at(-1)?.[1] ?? task.task.name, msg: String(item.msg ?? result.msg ?? '') };
        if (item.stdout) node.failure.stdout = String(item.stdout);
        if (item.stderr) node.failure.stderr = String(item.stderr);
      }
    }
  }
  return nodes;
}

export function readPlaybookRun(
  stdout: string,
  code: number | null,
  timedOut: boolean,
): Omit<PlaybookRun, 'stderr' | 'durationMs'> {
  if (timedOut) return { kind: 'timeout', nodes: {}, code };
  const json = parsePlaybookJson(stdout);
  if (!json) return { kind: 'invalid', nodes: {}, code };
  const nodes = nodeResults(json);
  const statuses = Object.values(nodes).map((node) => node.status);
  const kind = statuses.includes('unreachable')
    ? 'unreachable'
    : statuses.includes('failed') || code !== 0
      ? 'failed'
      : 'ok';
  return { kind, nodes, json, code };
}

/** The per-node results of one task by name (each node's last run of it), for reading a task's output. */
export function taskResults(run: PlaybookRun, name: string): Record<string, TaskResult> {
  // each play and each serial batch is a play of its own in the output: a node's last one counts
  const tasks = run.json?.plays.flatMap((play) => play.tasks).filter((t) => t.task.name === name) ?? [];
  return Object.assign({}, ...tasks.map((t) => t.hosts)) as Record<string, TaskResult>;
}

/** Wall time per task name, ms, summed over the plays and batches it ran in (in first-run order). */
export function taskTimes(run: PlaybookRun): Array<[string, number]> {
  const times = new Map<string, number>();
  for (const { task } of run.json?.plays.flatMap((play) => play.tasks) ?? []) {
    const ms = Date.parse(task.duration?.end ?? '') - Date.parse(task.duration?.start ?? '');
    if (Number.isFinite(ms)) times.set(task.name, (times.get(task.name) ?? 0) + ms);
  }
  return [...times];
}

export function runPlaybook(files: ControlFiles, playbook: string, options: PlaybookOptions): Promise<PlaybookRun> {
  const argv = [files.playbooks[playbook] ?? playbook];
  if (options.limit) argv.push('--limit', options.limit.join(','));
  if (options.extraVars) argv.push('--extra-vars', JSON.stringify(options.extraVars));
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/ansible-playbook', argv, {
      cwd: files.dir,
      detached: true, // its own process group: the timeout kills the workers and ssh clients too
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: '/usr/sbin:/usr/bin:/sbin:/bin', // Debian's tools, never a pyenv shim
        HOME: files.home,
        LANG: 'C.UTF-8',
        ANSIBLE_CONFIG: files.config,
      },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ ...readPlaybookRun(stdout, code, timedOut), stderr, durationMs: Date.now() - started });
    });
  });
}
