/**
 * Benchmark (not a test): what watching the programs costs. A deployment of N test servers under
 * the process manager, sampled every second, and in the same run the reference: pm2's own data
 * collection, `pm2 jlist` polled once per interval (what a `pm2 monit`-style dashboard asks pm2's
 * daemon for, with pm2's cpu and memory per process, computed by the daemon on every call).
 *
 * - agent: the agent's cpu time over a window (all its loops: the monitor's samples, the crash
 *   policy's ticks, log rotation checks), per interval and per program per interval; its
 *   resident size; pm2's daemon's cpu over the same window (it answers the agent's list calls);
 * - pm2 jlist: the same window again with `pm2 jlist` run once per interval: the clients' cpu
 *   (a node process each) and the daemon's cpu above its level during the agent-only window;
 * - database: a simulated day of samples (86400 s / the default 5 s interval, per program, one
 *   transaction per tick as the monitor writes them) into a fresh database, with the default cap
 *   (720 per program) and with a cap that keeps the whole day: its size and the write time.
 *
 *     node dist/bench/monitor-cost.js [--programs 8] [--seconds 20]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { table } from './timing';
import { freePorts } from '../test/helpers/ports';
import { serverLine, supervisorPart, SupervisedDeployment } from '../test/helpers/supervisor';
import { ROOT } from '../test/helpers/paths';
import { statFields } from '../programs/process-manager/proc-info';
import { StateDb } from '../programs/process-manager/state-db';
import { AGENT } from '../programs/process-manager/config';

const argValue = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(name);
  return at >= 0 ? Number(process.argv[at + 1]) : fallback;
};

/** user + system cpu of a process (ms); USER_HZ is 100 on Linux. */
function cpuMs(pid: number): number {
  const f = statFields(pid);
  return (Number(f[11]) + Number(f[12])) * 10;
}

/** cpu of this process's reaped children (ms). */
function childrenCpuMs(): number {
  const f = statFields(process.pid);
  return (Number(f[13]) + Number(f[14])) * 10;
}

function residentMb(pid: number): number {
  return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function simulatedDay(programs: number, cap: number): { mb: number; writeMs: number; perSampleUs: number } {
  const dir = mkdtempSync(path.join(tmpdir(), 'zs-monitor-day-'));
  try {
    const file = path.join(dir, 'monitor.sqlite');
    const db = StateDb.open(file, cap);
    const ticks = 86_400 / 5;
    const day = Date.now() - 86_400_000;
    const started = process.hrtime.bigint();
    for (let t = 0; t < ticks; t++) {
      const ts = day + t * 5000;
      db.db.transaction(() => {
        for (let p = 0; p < programs; p++) {
          db.sample(`program${p}`, {
            ...{ ts, state: 'RUNNING', pid: 1000 + p, cpu: 1.5, memory: 40e6 + t, restarts: 0 },
            ...{ load: 0.5, cpuTimeMs: t * 10, wallMs: t * 5000, virtualBytes: 1e9, memoryPercent: 1.2 },
          });
          if (t % 400 === 0) db.event(`program${p}`, 'state', 'RUNNING -> STARTING');
        }
      })();
    }
    const writeMs = Number(process.hrtime.bigint() - started) / 1e6;
    db.db.pragma('wal_checkpoint(TRUNCATE)');
    db.close();
    const bytes = statSync(file).size;
    return { mb: bytes / 1024 ** 2, writeMs, perSampleUs: (writeMs * 1000) / (ticks * programs) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The figures as printed: a table, the resident sizes, the simulated days. */
export async function benchMonitorCost(programs: number, seconds: number): Promise<string> {
  const out: string[] = [];
  const ports = await freePorts(programs + 1);
  const lines = ports.slice(1).map((port, i) => `    ${serverLine(10, `web${i}`, port)}`);
  const d = new SupervisedDeployment(
    `[buildout]\nparts = supervisor\n${supervisorPart(ports[0])}monitor-interval = 1\nprograms =\n${lines.join('\n')}\n`,
  );
  try {
    d.assembleOrFail();
    d.startOrFail();
    const agent = d.recorded().find((p) => p.name === AGENT)!.pid;
    const daemon = d.daemonPid()!;
    await sleep(3000); // past the agent's start
    const intervals = seconds;

    const [a0, p0] = [cpuMs(agent), cpuMs(daemon)];
    await sleep(seconds * 1000);
    const [a1, p1] = [cpuMs(agent), cpuMs(daemon)];
    const agentRss = residentMb(agent);

    const env = { ...process.env, PM2_HOME: d.config().pm2Home, HOME: d.home() };
    const pm2 = path.join(ROOT, 'node_modules', '.bin', 'pm2');
    const [c0, a2, p2] = [childrenCpuMs(), cpuMs(agent), cpuMs(daemon)];
    const until = Date.now() + seconds * 1000;
    let calls = 0;
    for (let next = Date.now(); next < until; next += 1000) {
      const r = spawnSync(pm2, ['jlist'], { env, encoding: 'utf8' });
      if (r.status !== 0 || JSON.parse(r.stdout).length < programs) throw new Error(`pm2 jlist: ${r.stderr}`);
      calls++;
      await sleep(Math.max(0, next + 1000 - Date.now()));
    }
    const [c1, a3, p3] = [childrenCpuMs(), cpuMs(agent), cpuMs(daemon)];

    const agentPerInterval = (a1 - a0) / intervals;
    const daemonIdle = (p1 - p0) / intervals;
    const jlistClient = (c1 - c0) / calls;
    const jlistDaemon = Math.max(0, (p3 - p2) / calls - daemonIdle);
    const reference = jlistClient + jlistDaemon;
    const ms = (v: number): string => `${v.toFixed(1)} ms`;
    out.push(`monitor cost: ${programs} programs, 1 s interval, ${seconds} s windows; cpu from /proc (10 ms ticks)`);
    out.push(
      table([
        ['what', 'cpu per interval', 'per program', 'vs pm2 jlist'],
        [
          'agent (monitor, policy, rotation)',
          ms(agentPerInterval),
          ms(agentPerInterval / programs),
          `${(agentPerInterval / reference).toFixed(3)}x`,
        ],
        ["pm2 daemon, same window (its own loops, the agent's calls)", ms(daemonIdle), ms(daemonIdle / programs), ''],
        [
          'agent + pm2 daemon',
          ms(agentPerInterval + daemonIdle),
          ms((agentPerInterval + daemonIdle) / programs),
          `${((agentPerInterval + daemonIdle) / reference).toFixed(3)}x`,
        ],
        ['pm2 jlist: client + daemon', ms(reference), ms(reference / programs), '1x'],
        ['  of which the jlist client', ms(jlistClient), '', ''],
        ['  of which the daemon, above the agent-only level', ms(jlistDaemon), '', ''],
        ['agent during the jlist window', ms((a3 - a2) / calls), '', ''],
      ]),
    );
    out.push(`agent resident size ${agentRss.toFixed(1)} MB; pm2 daemon ${residentMb(daemon).toFixed(1)} MB`);
    for (const cap of [720, 86_400 / 5]) {
      const day = simulatedDay(programs, cap);
      out.push(
        `database after a simulated day (5 s interval, ${programs} programs, cap ${cap}): ${day.mb.toFixed(2)} MB, ` +
          `written in ${(day.writeMs / 1000).toFixed(1)} s (${day.perSampleUs.toFixed(0)} µs per sample)`,
      );
    }
  } finally {
    d.teardown();
  }
  return out.join('\n');
}

if (require.main === module)
  benchMonitorCost(argValue('--programs', 8), argValue('--seconds', 20)).then(
    (text) => {
      console.log(text);
      process.exit(0);
    },
    (error) => {
      console.error(error);
      process.exit(1);
    },
  );
