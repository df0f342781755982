/**
 * Runs one scenario inside a sandbox made by sandbox.ts (never start it by hand): brings up the
 * hosts, writes Ansible's files, runs the scenario module and prints its result as a JSON line.
 * It exits when the scenario ends, when its deadline passes, or when its stdin closes (the test
 * process died, even by SIGKILL); the sandbox's PID 1 then exits and the kernel kills every
 * process and frees every namespace and link the run made.
 */
import { readFileSync, readlinkSync, rmSync, statSync } from 'node:fs';
import { writeAnsibleFiles } from './ansible-config';
import { bringUpHosts } from './hosts';
import { layOutHosts } from './layout';
import type { RunnerMessage, RunnerOptions, Scenario, ScenarioContext } from './scenario';

function send(message: RunnerMessage): void {
  process.stdout.write(JSON.stringify(message) + '\n');
}

function fail(message: string, code: number): never {
  send({ type: 'error', message });
  process.exit(code);
}

/** A fresh network namespace has only lo: refuse to make links anywhere else (the real host's namespace). */
function assertFreshNetwork(): void {
  const interfaces = readFileSync('/proc/self/net/dev', 'utf8')
    .split('\n')
    .slice(2)
    .map((l) => l.split(':')[0].trim())
    .filter(Boolean);
  if (interfaces.join(',') !== 'lo')
    fail(
      `scenario-runner: not inside a fresh sandbox (network interfaces: ` +
        `${interfaces.join(', ')}); run scenarios through sandbox.ts's runScenario`,
      70,
    );
}

const acks = new Map<string, () => void>();
let input = '';

function listenToTest(root: string): void {
  process.stdin.setEncoding('utf8');
  process.stdin.on('data', (chunk: string) => {
    input += chunk;
    for (let nl = input.indexOf('\n'); nl >= 0; nl = input.indexOf('\n')) {
      const line = input.slice(0, nl);
      input = input.slice(nl + 1);
      const message = JSON.parse(line) as { type: string; name: string };
      if (message.type === 'ack') acks.get(message.name)?.();
    }
  });
  process.stdin.on('end', () => {
    // the test process died and cannot remove the run's tree: do it here (the kernel does the rest)
    if (process.env.ZS_NODESET_KEEP !== '1') rmSync(root, { recursive: true, force: true });
    fail('scenario-runner: the test process went away (stdin closed)', 125);
  });
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2]) as RunnerOptions;
  assertFreshNetwork();
  listenToTest(options.root);
  const deadline = Date.now() + options.timeoutMs;
  setTimeout(
    () => fail(`scenario-runner: ${options.module} did not finish within ` + `${options.timeoutMs} ms`, 124),
    options.timeoutMs,
  ).unref();
  const started = Date.now();
  const hosts = await bringUpHosts(options.root, layOutHosts(options.root, options.hosts));
  const ansible = writeAnsibleFiles(hosts, options.inventory);
  const ns = (file: string): string => readlinkSync(file);
  send({
    type: 'identity',
    upMs: Date.now() - started,
    identity: {
      pidNs: ns('/proc/self/ns/pid'),
      netNs: ns('/proc/self/ns/net'),
      hostNetNs: Object.fromEntries(hosts.hosts.map((h) => [h.name, `net:[${statSync(`/run/netns/${h.netns}`).ino}]`])),
    },
  });
  const context: ScenarioContext = {
    args: options.args,
    root: options.root,
    hosts,
    ansible,
    deadline,
    log: (message) => process.stderr.write(`${message}\n`),
    checkpoint: (name, data) =>
      new Promise<void>((resolve) => {
        acks.set(name, () => {
          acks.delete(name);
          resolve();
        });
        send({ type: 'checkpoint', name, data: data ?? null });
      }),
  };
  const loaded = require(options.module) as { scenario?: Scenario };
  if (typeof loaded.scenario !== 'function')
    fail(`scenario-runner: ${options.module} exports no scenario ` + `function`, 70);
  const value = await loaded.scenario(context);
  // stdout is a pipe, written asynchronously: exit once a large result has gone through it
  process.stdout.write(JSON.stringify({ type: 'result', value: value ?? null } satisfies RunnerMessage) + '\n', () =>
    process.exit(0),
  );
}

main().catch((error: Error) => fail(error.stack ?? error.message, 1));
