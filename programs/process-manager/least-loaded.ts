/**
 * The least-loaded query: for each pool (a balancer program's backend and the programs behind its
 * servers), each instance's load, and the one with the lowest. Load is the balancer's current
 * sessions to the server (haproxy's `show stat`, scur), then, between equals, the cpu % of the
 * monitor's last sample: a request in flight weighs more than cpu spent between requests. An
 * instance that is not running or that haproxy does not see UP is never picked. When the
 * balancer does not answer, the pool says why and is ranked by cpu alone.
 */
import type { SupervisorConfig } from './config';
import type { StateDb } from './state-db';
import type { StatusRow } from './status';
import { haproxyCommand } from './haproxy-api';

export interface PoolMember {
  /** The program behind the server; for a server on another node, the server's name. */
  program: string;
  /** The server is on another node: its state and cpu are that node's agent's (nodes-view.ts). */
  remote?: boolean;
  server: string;
  state: string;
  /** haproxy's status of the server: UP, DOWN, DRAIN, MAINT... (null: balancer unreachable) */
  status: string | null;
  sessions: number | null;
  cpu: number | null;
}

export interface Pool {
  balancer: string;
  backend: string;
  members: PoolMember[];
  leastLoaded: string | null;
  /** Why haproxy's figures are missing. */
  error?: string;
}

function statRows(csv: string): Map<string, { status: string; sessions: number }> {
  const [head = '', ...lines] = csv.split('\n');
  const header = head.replace(/^# /, '').split(',');
  const [px, sv, scur, status] = ['pxname', 'svname', 'scur', 'status'].map((c) => header.indexOf(c));
  const rows = new Map<string, { status: string; sessions: number }>();
  for (const line of lines) {
    const f = line.split(',');
    if (f.length > status) rows.set(`${f[px]}/${f[sv]}`, { status: f[status], sessions: Number(f[scur]) });
  }
  return rows;
}

/** Fewer sessions first, then less cpu; unknown figures last. */
export function rankMembers(members: PoolMember[]): PoolMember[] {
  // another node's server counts on haproxy's word: its own agent is not asked here
  const running = (m: PoolMember): boolean => m.state === 'RUNNING' || (m.state === 'REMOTE' && m.status !== null);
  const eligible = members.filter((m) => running(m) && (m.status === null || m.status.startsWith('UP')));
  const key = (v: number | null): number => v ?? Number.POSITIVE_INFINITY;
  return eligible.sort((a, b) => key(a.sessions) - key(b.sessions) || key(a.cpu) - key(b.cpu));
}

export async function leastLoaded(config: SupervisorConfig, rows: StatusRow[], db: StateDb): Promise<Pool[]> {
  const pools: Pool[] = [];
  for (const balancer of config.programs.filter((p) => p.balancer)) {
    const api = balancer.balancer!;
    let stats: Map<string, { status: string; sessions: number }> | undefined;
    let error: string | undefined;
    try {
      stats = statRows(await haproxyCommand(api.socket, 'show stat'));
    } catch (e) {
      error = (e as Error).message;
    }
    const members = api.servers.flatMap((server): PoolMember[] => {
      const program =
        config.programs.find((p) => p.listen.some((a) => a.port === server.port && a.host === server.host)) ??
        config.programs.find((p) => p.name === server.name);
      const stat = stats?.get(`${api.backend}/${server.name}`);
      if (!program)
        return [
          {
            program: server.name,
            server: server.name,
            remote: true,
            state: 'REMOTE',
            status: stat?.status ?? null,
            sessions: stat?.sessions ?? null,
            cpu: null,
          },
        ];
      const row = rows.find((r) => r.name === program.name);
      const cpu = db.samples(program.name, 1)[0]?.cpu ?? row?.cpu ?? null;
      return [
        {
          program: program.name,
          server: server.name,
          state: row?.state ?? 'STOPPED',
          status: stat?.status ?? null,
          sessions: stat?.sessions ?? null,
          cpu,
        },
      ];
    });
    const best = rankMembers([...members])[0];
    pools.push({ balancer: balancer.name, backend: api.backend, members, leastLoaded: best?.program ?? null, error });
  }
  return pools;
}
