/**
 * Size-based rotation of every log in the tree, with nothing installed at run time (no
 * pm2-logrotate, which pulls a second pm2 from npm): the programs' stdout and stderr (pm2 writes
 * them), the agent's log, and the files each program declares it writes itself
 * (ProgramSpec.logs: nginx's access and error logs, MariaDB's error log, the instances' event
 * and access logs).
 *
 * A file over the limit is rotated without a moment where its name is missing: the older
 * copies shift up (the oldest beyond the number kept goes), the file is hard-linked to `.1`, and
 * a fresh empty file made with the same owner and mode is renamed over the name. Writers keep
 * their open file (now `.1`) until they reopen: pm2 through reloadLogs, a program declared
 * `signal` by its signal (nginx SIGUSR1, mariadbd SIGHUP), one declared `watched` by itself
 * (Python's WatchedFileHandler notices at its next record). The fresh file exists before any
 * of them reopens, so a daemon that runs as another user and cannot create files in var/log
 * still finds it (MariaDB's reopen fails, and closes its stdout, if it cannot).
 *
 * `copy` (copy, then truncate) is only for a writer that cannot reopen: it can lose what is
 * written between the copy and the truncate. pm2's own daemon log is rotated that way.
 * Measured limit: pm2's reloadLogs destroys its write streams, dropping output they still
 * buffer at that instant (a 4-line chunk of an 80 KB/s writer, in about one test run of eight
 * under heavy load).
 */
import {
  chmodSync,
  chownSync,
  closeSync,
  copyFileSync,
  fchmodSync,
  fchownSync,
  linkSync,
  openSync,
  renameSync,
  rmSync,
  statSync,
  truncateSync,
  type Stats,
} from 'node:fs';
import * as path from 'node:path';
import { agentLog } from './config';
import type { Runtime } from './runtime';

function stat(file: string): Stats | undefined {
  try {
    return statSync(file);
  } catch {
    return undefined;
  }
}

function shift(file: string, backups: number): void {
  rmSync(`${file}.${backups}`, { force: true });
  for (let n = backups - 1; n >= 1; n--) {
    try {
      renameSync(`${file}.${n}`, `${file}.${n + 1}`);
    } catch {
      /* not there yet */
    }
  }
}

/** An empty file owned and moded like `like` (as far as we may: chown needs root). */
function emptyLike(file: string, like: Stats): void {
  const fd = openSync(file, 'wx', like.mode & 0o7777);
  try {
    try {
      fchownSync(fd, like.uid, like.gid);
    } catch {
      /* not root: it is ours already */
    }
    fchmodSync(fd, like.mode & 0o7777); // the umask must not change it
  } finally {
    closeSync(fd);
  }
}

/** Rotates one file if it is over `maxBytes`; true when it did. */
export function rotateFile(file: string, maxBytes: number, backups: number): boolean {
  const before = stat(file);
  if (!before || before.size <= maxBytes) return false;
  if (backups === 0) {
    truncateSync(file, 0); // nothing is kept: the writers go on at the start (O_APPEND)
    return true;
  }
  shift(file, backups);
  const fresh = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.fresh`);
  rmSync(fresh, { force: true });
  emptyLike(fresh, before);
  linkSync(file, `${file}.1`);
  renameSync(fresh, file);
  return true;
}

/** Rotates the files over `maxBytes`; returns those rotated. */
export function rotateByRename(files: string[], maxBytes: number, backups: number): string[] {
  return [...new Set(files)].filter((file) => rotateFile(file, maxBytes, backups));
}

/** For files held open by a writer that cannot be asked to reopen (opened in append mode). */
export function rotateByCopy(file: string, maxBytes: number, backups: number): boolean {
  const before = stat(file);
  if (!before || before.size <= maxBytes) return false;
  if (backups > 0) {
    shift(file, backups);
    copyFileSync(file, `${file}.1`);
    try {
      chownSync(`${file}.1`, before.uid, before.gid);
    } catch {
      /* not root */
    }
    chmodSync(`${file}.1`, before.mode & 0o7777);
  }
  truncateSync(file, 0);
  return true;
}

/**
 * One rotation pass of the agent: pm2's files first (then pm2 reopens them), then each
 * program's own files (then the program is told, or notices itself).
 */
export async function rotateLogs(rt: Pick<Runtime, 'config' | 'pm2' | 'say'>): Promise<void> {
  const { config } = rt;
  const { maxBytes, backups } = config.logs;
  const pm2Files = [...config.programs.flatMap((p) => [p.outLog, p.errLog]), agentLog(config)];
  const rotated = new Set(rotateByRename(pm2Files, maxBytes, backups));
  if (rotated.size) await rt.pm2.reloadLogs();
  for (const program of config.programs) {
    const logs = program.logs;
    if (!logs) continue;
    let any = false;
    for (const file of logs.files) {
      if (rotated.has(file)) any = true;
      else if (logs.reopen === 'copy' ? rotateByCopy(file, maxBytes, backups) : rotateFile(file, maxBytes, backups))
        any = true;
    }
    if (!any || logs.reopen !== 'signal') continue;
    const pid = (await rt.pm2.find(program.name))?.pid;
    if (!pid) continue; // not running: it opens the fresh file when it starts
    try {
      process.kill(pid, logs.signal ?? 'SIGHUP');
    } catch (error) {
      rt.say(
        `agent: asking ${program.name} (pid ${pid}) to reopen its logs with ${logs.signal}: ` +
          `${(error as Error).message}`,
      );
    }
  }
  rotateByCopy(path.join(config.pm2Home, 'pm2.log'), maxBytes, backups);
}
