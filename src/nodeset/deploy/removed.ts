/**
 * The balancer's servers as facts.yml reads them, and the nodes removed from the nodeset, found
 * where they still are: in the balancer's haproxy (its
 * current release names their servers, facts.yml reads them). A server that no node of the
 * nodeset has, named as the nodeset names them (`<node>-<part>` with a part of an appserver
 * role, backends.ts), is a removed node's: its node is the server's address, named as the server
 * without the part. Servers the nodeset did not name (a hand-written backends line) are left alone.
 */
import type { Nodeset } from '../model';
import { taskResults, type PlaybookRun } from '../ansible/run-playbook';
import type { DeployHooks } from './hooks';

export interface RemovedNode {
  short: string;
  address: string;
  servers: string[];
}

export interface ServerView {
  name: string;
  status: string;
  host: string;
}

/** The balancer's servers as facts.yml read them (balancer-side.py's `view` lines, among the releases). */
export function haproxyView(facts: PlaybookRun): ServerView[] {
  return Object.values(taskResults(facts, 'read releases')).flatMap((result) =>
    String(result.stdout ?? '')
      .split('\n')
      .flatMap((line) => {
        const match = /^(\S+) (\S+) .* address: (\S+)$/.exec(line.trim());
        if (!match) return [];
        const host = match[3].replace(/:\d+$/, '').replace(/^\[(.*)\]$/, '$1');
        return [{ name: match[1], status: match[2], host }];
      }),
  );
}

export function removedNodes(view: ServerView[], nodeset: Nodeset, hooks: DeployHooks): RemovedNode[] {
  const known = new Set(nodeset.nodes.flatMap((n) => hooks.commands(n).haproxyServers));
  const addresses = new Set(nodeset.nodes.map((n) => n.address));
  const parts = new Set(nodeset.roles.filter((r) => r.kind === 'appserver').flatMap((r) => r.parts));
  const byHost = new Map<string, RemovedNode>();
  for (const server of view) {
    if (known.has(server.name) || addresses.has(server.host)) continue;
    const part = [...parts].find((p) => server.name.endsWith(`-${p}`) && server.name.length > p.length + 1);
    if (!part) continue;
    const short = server.name.slice(0, -(part.length + 1));
    const node = byHost.get(server.host) ?? { short, address: server.host, servers: [] };
    node.servers.push(server.name);
    byHost.set(server.host, node);
  }
  return [...byHost.values()];
}
