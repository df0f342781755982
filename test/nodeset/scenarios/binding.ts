/**
 * A service that a host starts over ssh, bound to that host's address, is reachable from
 * another host and from nowhere else: not on the other host's loopback, not on the controller's,
 * and (checked from outside at the checkpoint) not in the real host's network namespace at all.
 */
import { readlinkSync } from 'node:fs';
import type { Scenario } from '../../helpers/nodeset-sandbox/scenario';
import { ssh } from '../../helpers/nodeset-sandbox/ssh';
import { execInHost } from '../../helpers/nodeset-sandbox/hosts';
import { exec } from '../../helpers/nodeset-sandbox/exec';
import { waitFor } from '../../helpers/wait';

export interface BindingArgs {
  port: number;
}

export interface BindingResult {
  address: string;
  fromPeer: { code: number | null; body: string };
  fromPeerLoopback: { code: number | null; stderr: string };
  fromControllerLoopback: { code: number | null; stderr: string };
  listeners: Record<string, string[]>;
  /** The network namespace the server process runs in. */
  serverNetns: string;
}

const curl = (url: string): string => `curl -sS --max-time 2 --noproxy '*' ${url}`;

export const scenario: Scenario<BindingArgs, BindingResult> = async (ctx) => {
  const { port } = ctx.args;
  const [server, peer] = [ctx.hosts.host('app1'), ctx.hosts.host('app2')];
  const docroot = `${server.deployRoot}/www`;
  const start = await ssh(
    ctx.hosts,
    server,
    [
      `mkdir -p ${docroot} && echo served-by-${server.name} > ${docroot}/who`,
      // detached from the ssh session: its own session, no inherited descriptors
      `setsid /usr/bin/python3 -m http.server ${port} --bind ${server.address} --directory ${docroot} ` +
        `>${server.dir}/run/http.log 2>&1 </dev/null & echo $!`,
    ].join('\n'),
  );
  if (start.code !== 0) throw new Error(`starting the server on ${server.name} failed: ${start.stderr}`);
  const pid = Number(start.stdout.trim());
  await waitFor(
    async () => {
      const probe = await execInHost(server, ['ss', '-Hltn', `sport = :${port}`]);
      return probe.stdout.trim() !== '';
    },
    { what: `the server on ${server.address}:${port}`, timeoutMs: 10_000 },
  );
  const fromPeer = await ssh(ctx.hosts, peer, curl(`http://${server.address}:${port}/who`));
  const fromPeerLoopback = await ssh(ctx.hosts, peer, curl(`http://127.0.0.1:${port}/who`));
  const fromControllerLoopback = await exec(
    ['curl', '-sS', '--max-time', '2', '--noproxy', '*', `http://127.0.0.1:${port}/who`],
    { timeoutMs: 5000 },
  );
  const listeners: Record<string, string[]> = {};
  const lines = (text: string): string[] =>
    text
      .split('\n')
      .map((l) => l.trim().split(/\s+/)[3])
      .filter(Boolean);
  for (const h of ctx.hosts.hosts)
    listeners[h.name] = lines((await execInHost(h, ['ss', '-Hltn', `sport = :${port}`])).stdout);
  listeners.controller = lines((await exec(['ss', '-Hltn', `sport = :${port}`], { timeoutMs: 5000 })).stdout);
  const serverNetns = readlinkSync(`/proc/${pid}/ns/net`);
  await ctx.checkpoint('serving', { port, address: server.address });
  return {
    address: server.address,
    fromPeer: { code: fromPeer.code, body: fromPeer.stdout.trim() },
    fromPeerLoopback: { code: fromPeerLoopback.code, stderr: fromPeerLoopback.stderr.trim() },
    fromControllerLoopback: { code: fromControllerLoopback.code, stderr: fromControllerLoopback.stderr.trim() },
    listeners,
    serverNetns,
  };
};
