/**
 * /metrics in Prometheus's text exposition format (version 0.0.4), for the tools operators
 * already run: per program whether it is up, its restarts, the cpu seconds and resident memory
 * of its current process, its last exit code and readiness; per node its load (/proc/loadavg). Every
 * series carries `node` (the supervisor part's `node` option) so several nodes' agents can be
 * scraped into one Prometheus without relabelling.
 *
 * A run ended by a signal has no exit code: it is exported as 128 + the signal's number, the
 * shell's convention (SIGKILL: 137), with the signal's name in a `signal` label.
 */
import { constants } from 'node:os';
import type { StatusRow } from './status';
import { loadAverage, sampleProcess } from './process-sample';

interface Family {
  name: string;
  type: 'gauge' | 'counter';
  help: string;
  lines: string[];
}

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labels(values: Record<string, string>): string {
  const pairs = Object.entries(values).map(([k, v]) => `${k}="${escapeLabel(v)}"`);
  return `{${pairs.join(',')}}`;
}

function exitCode(row: StatusRow): number | undefined {
  if (row.lastExitSignal) {
    const number = (constants.signals as Record<string, number>)[row.lastExitSignal];
    return number === undefined ? undefined : 128 + number;
  }
  return row.lastExitCode ?? undefined;
}

/** The exposition text of one node's programs. */
export function renderMetrics(node: string, rows: StatusRow[]): string {
  const family = (name: string, type: Family['type'], help: string): Family => ({ name, type, help, lines: [] });
  const up = family('zeta_program_up', 'gauge', 'Whether the program has a running process (1) or not (0).');
  const restarts = family('zeta_program_restarts_total', 'counter', 'Restarts after crashes since it was set up.');
  const cpu = family('zeta_program_cpu_seconds_total', 'counter', 'User and system cpu time of its current process.');
  const memory = family('zeta_program_resident_memory_bytes', 'gauge', 'Resident size of its current process.');
  const exit = family('zeta_program_last_exit_code', 'gauge', 'Exit code of its last run (128 + signal when killed).');
  const ready = family('zeta_program_ready', 'gauge', 'Whether its readiness check passes (1) or not (0).');
  const load = family('zeta_node_load', 'gauge', 'Load average of the node over the window.');
  for (const row of rows) {
    const base = { node, program: row.name, type: row.type };
    up.lines.push(`${up.name}${labels({ ...base, state: row.state })} ${row.pid !== null ? 1 : 0}`);
    restarts.lines.push(`${restarts.name}${labels(base)} ${row.restarts}`);
    const sample = row.pid !== null ? sampleProcess(row.pid) : undefined;
    if (sample) {
      cpu.lines.push(`${cpu.name}${labels(base)} ${sample.cpuTimeMs / 1000}`);
      memory.lines.push(`${memory.name}${labels(base)} ${sample.residentBytes}`);
    }
    const code = exitCode(row);
    if (code !== undefined)
      exit.lines.push(
        `${exit.name}${labels(row.lastExitSignal ? { ...base, signal: row.lastExitSignal } : base)} ${code}`,
      );
    ready.lines.push(`${ready.name}${labels(base)} ${row.ready ? 1 : 0}`);
  }
  const averages = loadAverage();
  ['1m', '5m', '15m'].forEach((window, i) => load.lines.push(`${load.name}${labels({ node, window })} ${averages[i]}`));
  return [up, restarts, cpu, memory, exit, ready, load]
    .map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.lines].join('\n'))
    .join('\n')
    .concat('\n');
}
