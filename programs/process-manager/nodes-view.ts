/**
 * Every node's view put together: a balancer's pool names servers that are other nodes'
 * programs (a nodeset names them `<node>-<program>`), so each such program gets haproxy's view of
 * it (status, sessions), each remote member its node's cpu, and each pool its least-loaded
 * member ranked across nodes. What one node alone cannot know, the set of views can.
 */
import { peerViews, type NodeView } from './peers';
import { rankMembers, type Pool, type PoolMember } from './least-loaded';
import { nodeNameOf, releaseOf, type SupervisorConfig } from './config';
import type { StatusRow } from './status';

/** This node, then each peer, put together (crossNodeView): what `/api/nodes` and `status --all-nodes` show. */
export async function allNodeViews(
  config: SupervisorConfig,
  token: string | undefined,
  programs: StatusRow[],
  pools: Pool[],
): Promise<NodeView[]> {
  const self: NodeView = {
    name: nodeNameOf(config),
    url: null,
    up: true,
    reason: null,
    role: config.agent?.role ?? null,
    release: releaseOf(config),
    programs: programs as unknown as NodeView['programs'],
    pools: pools as unknown as NodeView['pools'],
  };
  // with this node's pools too: they name the peers' programs
  return crossNodeView([self, ...(await peerViews(config, token))]);
}

export function crossNodeView(nodes: NodeView[]): NodeView[] {
  const members = new Map<string, PoolMember>();
  const pools: Pool[] = nodes.flatMap((n) => n.pools as unknown as Pool[]);
  for (const pool of pools) for (const m of pool.members ?? []) if (m.remote) members.set(m.server, m);
  if (!members.size) return nodes;
  for (const node of nodes) {
    // a node that does not answer: haproxy may still see its servers UP, but none is picked
    if (!node.up) for (const [server, m] of members) if (server.startsWith(`${node.name}-`)) m.state = 'UNKNOWN';
    for (const program of node.programs) {
      const member = members.get(`${node.name}-${String(program.name)}`);
      if (!member) continue;
      program.haproxy = { server: member.server, status: member.status, sessions: member.sessions };
      member.cpu = (program.cpu as number | null) ?? null;
      member.state = String(program.state);
    }
  }
  for (const pool of pools)
    if (pool.members?.some((m) => m.remote)) pool.leastLoaded = rankMembers([...pool.members])[0]?.program ?? null;
  return nodes;
}
