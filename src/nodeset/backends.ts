/**
 * The balancer's haproxy backends across nodes: each backend that names an app-server part
 * becomes one server per node of that part's role, `<node>-<part> <node address>:<part's port>`,
 * with the part's threads as maxconn (as haproxy's own recipe does for a local instance). Lines
 * written by hand (`NAME HOST:PORT ...`) stay as they are.
 */
import type { Resolver } from '../config/interpolate';
import { splitAddress } from '../util/address';
import type { Nodeset, NodesetNode } from './model';

/** The haproxy server name of `part` on `node`: what a drain or an enable names. */
export function backendName(node: NodesetNode, part: string): string {
  return `${node.short}-${part}`;
}

function formatHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

export interface NodesetBackend {
  name: string;
  node: string;
  part: string;
  address: string;
  port: number;
}

/** Every app node's server for each part named in `backends` (none when no word is an app part). */
export function nodesetBackends(nodeset: Nodeset, resolver: Resolver, backends: string): NodesetBackend[] {
  const servers: NodesetBackend[] = [];
  for (const line of backends.split('\n').map((l) => l.trim())) {
    const words = line.split(/\s+/).filter(Boolean);
    if (!words.length || (words.length > 1 && /:|^\d+$/.test(words[1]))) continue;
    for (const part of words) {
      const role = nodeset.roles.find((r) => r.kind === 'appserver' && r.parts.includes(part));
      if (!role) continue;
      const address = resolver.get(part, 'address') ?? resolver.get(part, 'http-address') ?? '';
      const port = Number(splitAddress(address).port);
      for (const node of role.nodes)
        servers.push({ name: backendName(node, part), node: node.short, part, address: node.address, port });
    }
  }
  return servers;
}

/** `backends` rewritten for the balancer node: app parts expanded per node, other lines kept. */
export function rewriteBackends(nodeset: Nodeset, resolver: Resolver, backends: string): string {
  const out: string[] = [];
  for (const line of backends.split('\n').map((l) => l.trim())) {
    const words = line.split(/\s+/).filter(Boolean);
    if (!words.length) continue;
    if (words.length > 1 && /:|^\d+$/.test(words[1])) {
      out.push(line);
      continue;
    }
    for (const part of words) {
      const expanded = nodesetBackends(nodeset, resolver, part);
      if (!expanded.length) {
        out.push(part); // a local instance (or a part haproxy's recipe will judge)
        continue;
      }
      const threads = resolver.get(part, 'threads');
      const maxconn = threads && /^\d+$/.test(threads) ? ` maxconn=${threads}` : '';
      for (const server of expanded) out.push(`${server.name} ${formatHost(server.address)}:${server.port}${maxconn}`);
    }
  }
  return out.join('\n');
}
