/**
 * Brings up the stand-in hosts inside the sandbox: the bridge, one network namespace per host
 * with a veth on the bridge, one deployer key, and per host an sshd of its own (its own host key,
 * pinned in the run's known_hosts) listening on the host's address only. No default route and no
 * forwarding: a host reaches the bridge's subnet and nothing else. Must run inside the sandbox
 * (scenario-runner.ts): the links are made in the current network namespace.
 */
import { mkdirSync, readFileSync, writeFileSync, existsSync, chmodSync } from 'node:fs';
import * as path from 'node:path';
import { BRIDGE, CONTROLLER_ADDRESS, PREFIX_LENGTH, type HostLayout } from './layout';
import { exec, execOk } from './exec';
import { renderSshdConfig, sshdFiles } from './sshd-config';
import { waitFor } from '../wait';
import { processAlive } from './process-alive';

export interface SandboxHosts {
  root: string;
  hosts: HostLayout[];
  /** The deployer's private key (ed25519, no passphrase), made for this run. */
  privateKey: string;
  knownHosts: string;
  /** ssh ControlPath sockets (ControlPath=<controlDir>/%C). */
  controlDir: string;
  host(name: string): HostLayout;
}

const STEP_MS = 10_000;

async function keygen(file: string, comment: string): Promise<void> {
  if (!existsSync(file))
    await execOk(['ssh-keygen', '-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', file], { timeoutMs: STEP_MS });
}

async function ipBatch(commands: string[], netns?: string): Promise<void> {
  await execOk(['ip', ...(netns ? ['-n', netns] : []), '-batch', '-'], {
    timeoutMs: STEP_MS,
    input: commands.join('\n') + '\n',
  });
}

async function makeLinks(hosts: HostLayout[]): Promise<void> {
  await ipBatch([
    `link add ${BRIDGE} type bridge`,
    `addr add ${CONTROLLER_ADDRESS}/${PREFIX_LENGTH} dev ${BRIDGE}`,
    `link set ${BRIDGE} up`,
    ...hosts.flatMap((h) => [
      `netns add ${h.netns}`,
      `link add ${h.veth} type veth peer name eth0 netns ${h.netns}`,
      `link set ${h.veth} master ${BRIDGE} up`,
    ]),
  ]);
  await Promise.all(
    hosts.map((h) =>
      ipBatch([`addr add ${h.address}/${PREFIX_LENGTH} ` + `dev eth0`, 'link set lo up', 'link set eth0 up'], h.netns),
    ),
  );
}

/** Starts the host's sshd inside its namespace (with its own hostname) and waits until it listens. */
export async function startSshd(host: HostLayout): Promise<number> {
  const files = sshdFiles(host);
  await execOk(
    [
      'ip',
      'netns',
      'exec',
      host.netns,
      'unshare',
      '--uts',
      'sh',
      '-c',
      'hostname "$0" && exec ' + '/usr/sbin/sshd -f "$1" -E "$2"',
      host.name,
      files.config,
      files.log,
    ],
    { timeoutMs: STEP_MS },
  );
  // sshd daemonizes before it binds and writes its PidFile after: wait for the file, not the exit
  const pid = await waitFor(
    () => {
      try {
        return Number(readFileSync(files.pidFile, 'utf8').trim()) || undefined;
      } catch {
        return undefined;
      }
    },
    { what: `${host.name}'s sshd to write ${files.pidFile}`, timeoutMs: STEP_MS, intervalMs: 5 },
  );
  return pid;
}

/** Stops the host's sshd (its open sessions keep running, as on a real host) and waits until it is gone. */
export async function stopSshd(host: HostLayout): Promise<void> {
  const files = sshdFiles(host);
  const pid = Number(readFileSync(files.pidFile, 'utf8').trim());
  process.kill(pid, 'SIGTERM');
  await waitFor(() => !processAlive(pid), { what: `${host.name}'s sshd (pid ${pid}) to exit`, timeoutMs: STEP_MS });
}

export async function bringUpHosts(root: string, hosts: HostLayout[]): Promise<SandboxHosts> {
  const keys = path.join(root, 'keys');
  const controlDir = path.join(root, 'cp');
  mkdirSync(keys, { recursive: true });
  mkdirSync(controlDir, { recursive: true, mode: 0o700 }); // ssh creates sockets there, never the directory
  // sshd's privilege-separation directory; made by systemd-tmpfiles on a booted Debian, absent here
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  chmodSync('/run/sshd', 0o755);
  for (const h of hosts)
    for (const sub of ['etc', 'run', 'home', 'deploy']) mkdirSync(path.join(h.dir, sub), { recursive: true });
  const privateKey = path.join(keys, 'id_ed25519');
  await Promise.all([
    keygen(privateKey, 'zs-deployer'),
    ...hosts.map((h) => keygen(sshdFiles(h).hostKey, `zs-host-${h.name}`)),
    makeLinks(hosts),
  ]);
  const authorizedKeys = path.join(keys, 'authorized_keys');
  writeFileSync(authorizedKeys, readFileSync(`${privateKey}.pub`));
  const knownHosts = path.join(root, 'known_hosts');
  writeFileSync(
    knownHosts,
    hosts
      .map((h) => {
        const [type, key] = readFileSync(`${sshdFiles(h).hostKey}.pub`, 'utf8').split(' ');
        return `${h.address} ${type} ${key}\n`;
      })
      .join(''),
  );
  for (const h of hosts) writeFileSync(sshdFiles(h).config, renderSshdConfig(h, authorizedKeys));
  await Promise.all(hosts.map(startSshd));
  const byName = new Map(hosts.map((h) => [h.name, h]));
  return {
    root,
    hosts,
    privateKey,
    knownHosts,
    controlDir,
    host(name) {
      const found = byName.get(name);
      if (!found) throw new Error(`no host ${name} in this sandbox (hosts: ${[...byName.keys()].join(', ')})`);
      return found;
    },
  };
}

/** Runs argv inside a host's network namespace directly (no ssh), bounded. */
export function execInHost(host: HostLayout, argv: string[], timeoutMs = STEP_MS): ReturnType<typeof exec> {
  return exec(['ip', 'netns', 'exec', host.netns, ...argv], { timeoutMs });
}
