/**
 * `nodeset status` as an operator reads it: one table of every node's programs, grouped by role
 * and node, with the release each node runs and haproxy's view of each app server; a node that
 * is down or does not answer is one row saying why.
 */
import { formatBytes, formatDuration } from '../../util/units';
import { formatTable } from '../../util/text-table';
import type { NodesetStatus } from './status';

const HEADER = ['ROLE', 'NODE', 'RELEASE', 'PROGRAM', 'STATE', 'PID', 'UPTIME', 'CPU', 'MEM', 'RESTARTS', 'HAPROXY'];

export function statusTable(status: NodesetStatus): string[] {
  const rows: string[][] = [];
  const problems: string[] = [];
  for (const n of status.nodes) {
    const head = [n.role, n.node, n.release ?? '-'];
    if (n.state !== 'up') problems.push(`${n.node}: ${n.state.toUpperCase()}: ${n.reason ?? ''}`.trimEnd());
    if (!n.programs.length && !n.text?.length) rows.push([...head, '-', n.state.toUpperCase()]);
    for (const line of n.text ?? []) rows.push([...head, line]);
    for (const p of n.programs)
      rows.push([
        ...head,
        p.name,
        p.state,
        String(p.pid ?? '-'),
        formatDuration(p.uptimeMs),
        p.cpu === null ? '-' : `${p.cpu}%`,
        formatBytes(p.memory),
        String(p.restarts),
        p.haproxy ? `${p.haproxy.status} (${p.haproxy.sessions})` : '',
      ]);
  }
  // a server haproxy has that no node's program is (a node removed, a name written by hand)
  const shown = new Set(status.nodes.flatMap((n) => n.programs.map((p) => p.haproxy?.server)));
  const others = status.servers.filter((s) => !shown.has(s.server));
  return [
    ...formatTable(HEADER, rows),
    ...problems,
    ...(others.length
      ? ["haproxy's other servers:", ...others.map((s) => `    ${s.server} ${s.status} (${s.sessions})`)]
      : []),
  ];
}
