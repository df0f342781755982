/**
 * Every log in var/log is bounded, against the real daemons of the example under its process
 * manager (logfile-maxbytes = 8KB, 2 kept): nginx's access and error logs (reopened by SIGUSR1),
 * MariaDB's error log (SIGHUP), an instance's event and access logs (WatchedFileHandler) and
 * a pm2 stderr file (pm2 reopens it). Each file is filled past its bound; after the rotation the daemon's next
 * line is in the fresh file, the daemon has no file open under a `.1` name, the owner and mode
 * are the file's own (nginx gives its logs to its workers' user, as it does on every reopen),
 * and no more than the number kept of old files exist.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readdirSync, readFileSync, readlinkSync, statSync } from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { SupervisedExample } from '../helpers/supervised-example';
import { request } from '../helpers/http-probe';
import { processTree } from '../../programs/process-manager/proc-info';
import { waitFor } from '../helpers/wait';

const LIMIT = 8 * 1024;

/** A condition that, while it does not hold, pokes the daemon into writing (the line awaited needs a cause). */
function poking(check: () => boolean, poke: () => Promise<unknown>): () => Promise<boolean> {
  return async () => {
    if (check()) return true;
    await poke();
    return false;
  };
}

/** The log files under var/log a process (and its children) holds open. */
function openLogs(pid: number, logDir: string): string[] {
  return processTree(pid)
    .flatMap((p) => {
      try {
        return readdirSync(`/proc/${p}/fd`).map((fd) => {
          try {
            return readlinkSync(`/proc/${p}/fd/${fd}`);
          } catch {
            return '';
          }
        });
      } catch {
        return [];
      }
    })
    .filter((target) => target.startsWith(logDir));
}

function fill(file: string): void {
  appendFileSync(
    file,
    `${'filler line to push the log past its bound'.padEnd(99, '.')}\n`.repeat(Math.ceil(LIMIT / 100) + 10),
  );
}

function touchTcp(port: number): Promise<void> {
  // MariaDB logs a connection closed before authenticating ("Aborted connection ...")
  return new Promise((resolve) => {
    // destroyed, not ended: a half-closed socket waits on the server, which may keep it open
    const socket = net.connect(port, '127.0.0.1', () => socket.destroy());
    socket.on('close', () => resolve());
    socket.on('error', () => resolve());
  });
}

test(
  'nginx, MariaDB and the instances reopen their own logs after a rotation: bounded, fresh file, owner and mode kept',
  { timeout: 300_000 },
  async () => {
    const example = await SupervisedExample.assemble('supervisor:logfile-maxbytes=8KB', 'supervisor:logfile-backups=2');
    try {
      const up = await example.supervisord();
      assert.equal(up.status, 0, up.stderr);
      const { ports } = example.stack;
      const logDir = path.join(example.dir, 'var', 'log');
      const log = (name: string): string => path.join(logDir, name);
      const programs = await example.status();
      const pidOf = (name: string): number => programs.find((p) => p.name === name)!.pid!;
      // nginx's workers' user, from the `user` directive the recipe wrote
      const workers = /^user (\S+)/m.exec(readFileSync(path.join(example.dir, 'etc', 'nginx.conf'), 'utf8'))![1];
      const workerUid = Number(execFileSync('id', ['-u', workers], { encoding: 'utf8' }).trim());

      const files = [
        'nginx-access.log',
        'nginx-error.log',
        'mysql.err',
        'instance1.log',
        'instance1-access.log',
        'instance2.err.log',
      ];
      const before = new Map(files.map((name) => [name, statSync(log(name))]));
      for (const name of files) fill(log(name));
      await waitFor(() => files.every((name) => existsSync(log(`${name}.1`))), {
        what: 'every filled log rotated',
        timeoutMs: 30_000,
        intervalMs: 200,
        detail: () => `not yet: ${files.filter((name) => !existsSync(log(`${name}.1`))).join(', ')}`,
      });
      for (const name of files) {
        assert.ok(statSync(log(name)).size < LIMIT, `${name} starts afresh`);
        assert.match(readFileSync(log(`${name}.1`), 'utf8'), /filler line/, `${name}.1 holds what was written before`);
      }

      // each daemon writes again, and the line must land in the fresh file
      const marker = `after-rotation-${process.pid}-${Date.now()}`;
      await request(`http://127.0.0.1:${ports.http}/system_error/${marker}`, { headers: { host: 'localhost' } });
      await waitFor(() => readFileSync(log('nginx-error.log'), 'utf8').includes(marker), {
        what: 'nginx logging the missing file',
        timeoutMs: 10_000,
      });
      // the access log is buffered (flush=5s)
      await waitFor(() => readFileSync(log('nginx-access.log'), 'utf8').includes(marker), {
        what: 'nginx logging the request',
        timeoutMs: 15_000,
        intervalMs: 200,
      });
      const aborted = () => /Aborted connection/.test(readFileSync(log('mysql.err'), 'utf8'));
      await waitFor(
        poking(aborted, () => touchTcp(ports.database)),
        {
          what: 'MariaDB logging an aborted connection',
          timeoutMs: 15_000,
          intervalMs: 200,
        },
      );
      await request(`http://127.0.0.1:${ports.instance1}/${marker}`);
      await waitFor(() => readFileSync(log('instance1-access.log'), 'utf8').includes(marker), {
        what: 'instance1 logging the request',
        timeoutMs: 10_000,
      });
      // an event-log record: waitress warns when every thread is busy (threads = 2 in the example)
      const burst = () =>
        Promise.all(Array.from({ length: 24 }, () => request(`http://127.0.0.1:${ports.instance1}/db`)));
      const queued = () => /Task queue depth/.test(readFileSync(log('instance1.log'), 'utf8'));
      await waitFor(poking(queued, burst), {
        what: 'instance1 writing its event log',
        timeoutMs: 30_000,
        intervalMs: 200,
      });

      for (const name of files)
        assert.doesNotMatch(
          readFileSync(log(`${name}.1`), 'utf8'),
          new RegExp(marker),
          `nothing new went into ${name}.1`,
        );
      for (const program of ['nginx', 'mysql', 'instance1']) {
        const held = openLogs(pidOf(program), logDir);
        assert.deepEqual(
          held.filter((file) => /\.\d+$/.test(file)),
          [],
          `${program} writes into no rotated file (holds ${held.join(', ')})`,
        );
      }

      for (const name of files) {
        const was = before.get(name)!;
        const now = statSync(log(name));
        assert.equal(now.mode & 0o7777, was.mode & 0o7777, `${name} keeps its mode`);
        assert.equal(now.gid, was.gid, `${name} keeps its group`);
        // nginx's master hands the files it reopens to its workers' user, which the workers need
        assert.equal(now.uid, name.startsWith('nginx') ? workerUid : was.uid, `${name} keeps its owner`);
      }

      // bounded: two more rotations keep two old files, never a third
      for (const round of [2, 3]) {
        for (const name of ['instance1-access.log', 'mysql.err']) fill(log(name));
        const rotated = (): boolean =>
          existsSync(log('mysql.err.2')) &&
          ['instance1-access.log', 'mysql.err'].every((name) => statSync(log(name)).size < LIMIT);
        await waitFor(rotated, { what: `rotation ${round}`, timeoutMs: 30_000, intervalMs: 200 });
      }
      for (const name of ['instance1-access.log', 'mysql.err']) {
        assert.ok(existsSync(log(`${name}.2`)), `${name}.2 kept`);
        assert.ok(!existsSync(log(`${name}.3`)), `no ${name}.3: at most logfile-backups old files`);
      }
      assert.equal(
        (await request(`http://127.0.0.1:${ports.http}/db`, { headers: { host: 'localhost' } })).status,
        200,
        'the stack still answers through every hop',
      );
    } finally {
      await example.teardown();
    }
  },
);
