/**
 * The test side: runs one scenario module inside a fresh sandbox and returns its result.
 *
 * const run = await runScenario<Result>({ scenario: require.resolve('./scenarios/basics'), hosts: ['app1', 'bal'],
 * timeoutMs: 40_000 });
 *   assert.deepEqual(run.leftovers, []);       // checked after every run
 *   const value = scenarioValue(run);          // or the scenario's error, with the runner's stderr
 *
 * The child is `unshare ... bash -c ... node scenario-runner.js '<options>'`, with a pipe as its
 * stdin: if this process dies, even by SIGKILL, the pipe closes, the runner exits, and the kernel
 * takes the whole sandbox down. The per-run temporary root is made here and removed afterwards
 * (kept with ZS_NODESET_KEEP=1, for a post-mortem).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { InventoryOptions } from './ansible-config';
import type { HostSpec } from './layout';
import { findLeftovers, prefixedNames } from './leftovers';
import { sandboxArgv } from './sandbox-command';
import type { RunnerMessage, RunnerOptions, SandboxIdentity } from './scenario';

const RUNNER = path.join(__dirname, 'scenario-runner.js');

export interface SandboxHandle {
  /** The unshare process: the sandbox's top process in the real host. */
  pid: number;
  /** The sandbox's PID 1 as the real host sees it. */
  pid1: number;
  identity: SandboxIdentity;
  root: string;
  kill(signal: NodeJS.Signals): void;
}

export interface ScenarioOptions {
  /** Absolute path of the compiled scenario module (require.resolve('./scenarios/x')). */
  scenario: string;
  hosts: Array<HostSpec | string>;
  args?: unknown;
  /** The runner's own deadline; this side kills the sandbox 5 s after it. */
  timeoutMs: number;
  inventory?: InventoryOptions;
  /** Called at each ctx.checkpoint(name, data) of the scenario; the scenario waits for it. */
  onCheckpoint?: (name: string, data: unknown, sandbox: SandboxHandle) => void | Promise<void>;
  /** Commands put before unshare (the probe's tests drop capabilities with setpriv). */
  wrap?: string[];
}

export interface ScenarioRun<R> {
  value?: R;
  error?: string;
  exit: { code: number | null; signal: NodeJS.Signals | null };
  identity?: SandboxIdentity;
  /** Time to bring the hosts up (inside), and the whole run (outside, process start to exit). */
  upMs?: number;
  totalMs: number;
  stderr: string;
  /** What the run left in the real host, after the kernel's teardown: must be empty. */
  leftovers: string[];
}

function childPid(pid: number): number {
  const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  if (children.length !== 1 || !children[0])
    throw new Error(`unshare (pid ${pid}) has children ` + `${children.join(' ')}: expected the sandbox's PID 1 alone`);
  return children[0];
}

export async function runScenario<R>(options: ScenarioOptions): Promise<ScenarioRun<R>> {
  const root = mkdtempSync(path.join(tmpdir(), 'zs-nodeset-'));
  const before = prefixedNames();
  const runnerOptions: RunnerOptions = {
    module: options.scenario,
    root,
    hosts: options.hosts,
    args: options.args ?? null,
    timeoutMs: options.timeoutMs,
    inventory: options.inventory,
  };
  const argv = sandboxArgv([process.execPath, RUNNER, JSON.stringify(runnerOptions)], options.wrap);
  const started = Date.now();
  const child = spawn(argv[0], argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
  const run: ScenarioRun<R> = { exit: { code: null, signal: null }, totalMs: 0, stderr: '', leftovers: [] };
  let handle: SandboxHandle | undefined;
  const failures: string[] = [];
  const killer = setTimeout(() => {
    failures.push(`the sandbox outlived its deadline (${options.timeoutMs} ms + 5 s) and was killed`);
    child.kill('SIGKILL');
  }, options.timeoutMs + 5000);
  child.stderr.setEncoding('utf8').on('data', (d: string) => (run.stderr += d));
  child.stdin.on('error', () => {
    /* the sandbox is gone */
  });
  let pending = '';
  let queue = Promise.resolve();
  const onMessage = (message: RunnerMessage): void => {
    if (message.type === 'identity') {
      const pid1 = childPid(child.pid!);
      const seen = readlinkSync(`/proc/${pid1}/ns/pid`);
      if (seen !== message.identity.pidNs)
        failures.push(`the runner reported PID namespace ` + `${message.identity.pidNs}, its PID 1 is in ${seen}`);
      run.identity = message.identity;
      run.upMs = message.upMs;
      handle = { pid: child.pid!, pid1, identity: message.identity, root, kill: (signal) => child.kill(signal) };
    } else if (message.type === 'checkpoint') {
      queue = queue.then(async () => {
        try {
          if (options.onCheckpoint && handle) await options.onCheckpoint(message.name, message.data, handle);
        } catch (error) {
          failures.push(`onCheckpoint(${message.name}): ${(error as Error).stack ?? error}`);
        }
        if (child.exitCode === null && child.signalCode === null)
          child.stdin.write(JSON.stringify({ type: 'ack', name: message.name }) + '\n');
      });
    } else if (message.type === 'result') {
      run.value = message.value as R;
    } else if (message.type === 'error') {
      run.error = message.message;
    }
  };
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    pending += chunk;
    for (let nl = pending.indexOf('\n'); nl >= 0; nl = pending.indexOf('\n')) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      try {
        onMessage(JSON.parse(line) as RunnerMessage);
      } catch {
        failures.push(`runner printed a non-protocol ` + `line: ${line.slice(0, 200)}`);
      }
    }
  });
  await new Promise<void>((resolve) =>
    child.on('close', (code, signal) => {
      run.exit = { code, signal };
      resolve();
    }),
  );
  clearTimeout(killer);
  await queue;
  run.totalMs = Date.now() - started;
  run.leftovers = await findLeftovers(run.identity, before);
  if (failures.length) run.error = [run.error, ...failures].filter(Boolean).join('\n');
  if (run.value === undefined && !run.error)
    run.error = `the sandbox exited (${run.exit.code ?? run.exit.signal}) without a result`;
  if (process.env.ZS_NODESET_KEEP === '1') process.stderr.write(`nodeset sandbox: kept ${root}\n`);
  else rmSync(root, { recursive: true, force: true });
  return run;
}

/** The scenario's value, or an Error carrying the scenario's error and the end of the runner's stderr. */
export function scenarioValue<R>(run: ScenarioRun<R>): R {
  if (run.error !== undefined || run.value === undefined) {
    throw new Error(`scenario failed: ${run.error}\n--- runner stderr (end) ---\n${run.stderr.slice(-3000)}`);
  }
  return run.value;
}
