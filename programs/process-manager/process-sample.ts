/**
 * The Salvus status sample of one process, read from /proc without running anything: cpu time
 * (user + system), wall time since it started, virtual and resident size, memory % of the node,
 * the user it runs as; and the node's load (/proc/loadavg). The cpu % is the cpu time used between two
 * samples over the wall time between them, as ps and top compute it (pm2's own figure comes
 * from pidusage, which does the same, but only for processes pm2 holds).
 *
 * Times in /proc/PID/stat are in clock ticks of USER_HZ, which Linux fixes at 100 for every
 * architecture's user-space ABI, so no sysconf call is needed.
 */
import { readFileSync } from 'node:fs';
import { statFields } from './proc-info';

const USER_HZ = 100;

export interface ProcessSample {
  /** user + system cpu time, ms */
  cpuTimeMs: number;
  /** since the process started, ms */
  wallMs: number;
  virtualBytes: number;
  residentBytes: number;
  /** resident size over the node's memory, % */
  memoryPercent: number;
  user: string;
  /** the start time in ticks since boot, to tell a new process of the same pid */
  start: number;
}

let bootMs: number | undefined;
let memTotal: number | undefined;
let users: Map<number, string> | undefined;

function bootTimeMs(): number {
  bootMs ??= Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1] ?? 0) * 1000;
  return bootMs;
}

function memoryTotal(): number {
  memTotal ??= Number(/^MemTotal:\s+(\d+) kB$/m.exec(readFileSync('/proc/meminfo', 'utf8'))?.[1] ?? 0) * 1024;
  return memTotal;
}

/** uid -> name from /etc/passwd, read once (a uid it lacks is shown as the number). */
function userName(uid: number): string {
  if (!users) {
    users = new Map();
    try {
      for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
        const [name, , id] = line.split(':');
        if (name && id) users.set(Number(id), name);
      }
    } catch {
      /* no passwd: numbers */
    }
  }
  return users.get(uid) ?? String(uid);
}

/** The sample of a live process; undefined when it is gone. */
export function sampleProcess(pid: number, now = Date.now()): ProcessSample | undefined {
  try {
    const fields = statFields(pid);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB$`, 'm').exec(status)?.[1] ?? 0) * 1024;
    const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1] ?? -1);
    const start = Number(fields[19]);
    const residentBytes = kb('VmRSS');
    const total = memoryTotal();
    return {
      cpuTimeMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / USER_HZ,
      wallMs: Math.max(0, now - (bootTimeMs() + (start * 1000) / USER_HZ)),
      virtualBytes: Number(fields[20]),
      residentBytes,
      memoryPercent: total ? Math.round((residentBytes / total) * 10_000) / 100 : 0,
      user: userName(uid),
      start,
    };
  } catch {
    return undefined;
  }
}

/** The node's load over 1, 5 and 15 minutes (/proc/loadavg). */
export function loadAverage(): [number, number, number] {
  const [one, five, fifteen] = readFileSync('/proc/loadavg', 'utf8').split(' ').map(Number);
  return [one, five, fifteen];
}

/** cpu % between two samples of the same process (null for the first, or a new process). */
export function cpuPercent(
  before: { at: number; sample: ProcessSample } | undefined,
  now: { at: number; sample: ProcessSample },
): number | null {
  if (!before || before.sample.start !== now.sample.start || now.at <= before.at) return null;
  const used = now.sample.cpuTimeMs - before.sample.cpuTimeMs;
  return Math.round((used / (now.at - before.at)) * 1000) / 10;
}
