/**
 * checkAccess: run by root, the process manager starts each program as its user (nginx: its
 * workers), and that user must be able to enter every directory on the way to its command and
 * to what it reads and writes (ProgramSpec.reads/writes). A tree cloned into root's home (0700
 * on Debian) fails that for every service, and otherwise shows up late and far from its cause
 * (MariaDB's 20-line log, nginx's default 403 page). Checked at assembly, before anything is
 * made: one error per directory that stops someone, naming its owner and mode, the users, what
 * they need behind it, and the fix.
 *
 * Inside the tree the assembler makes the directories itself (0755, or the daemon's own), so a
 * path in the tree is checked up to the tree's directory; a path outside it (a system binary,
 * pages or an application elsewhere) all the way, itself included when it is a directory.
 * Mode bits decide; a denial is confirmed by asking the kernel as that user (`setpriv ... test
 * -x`), so an ACL that lets the user through counts.
 */
import { spawnSync } from 'node:child_process';
import { statSync, type Stats } from 'node:fs';
import * as path from 'node:path';
import type { ProgramSpec } from '../recipe';
import type { ZetaError } from '../errors/zeta-error';
import { engineErrors } from '../errors/codes';
import { account, groupName, userName, type Account } from './system-accounts';

interface Blocked {
  stats: Stats;
  /** user -> program -> the first thing it needs behind the directory */
  needs: Map<string, Map<string, string>>;
}

function statOf(cache: Map<string, Stats | null>, dir: string): Stats | null {
  if (!cache.has(dir)) {
    try {
      cache.set(dir, statSync(dir));
    } catch {
      cache.set(dir, null);
    }
  }
  return cache.get(dir)!;
}

function modeAllows(user: Account, stats: Stats): boolean {
  if (stats.uid === user.uid) return (stats.mode & 0o100) !== 0;
  if (user.groups.has(stats.gid)) return (stats.mode & 0o010) !== 0;
  return (stats.mode & 0o001) !== 0;
}

/** The kernel's answer, as the user (ACLs included); without setpriv, the mode bits' no stands. */
function kernelAllows(user: Account, dir: string): boolean {
  const result = spawnSync(
    'setpriv',
    [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--init-groups', 'test', '-x', dir],
    { stdio: 'ignore', timeout: 5000 },
  );
  return result.error === undefined && result.status === 0;
}

/** The directories on the way to `file` that must be entered (existing ones only). */
function directoriesOnTheWay(file: string, tree: string, cache: Map<string, Stats | null>): string[] {
  const inside = file === tree || file.startsWith(`${tree}${path.sep}`);
  const last = inside ? tree : file;
  const chain: string[] = [];
  for (let dir = inside ? tree : path.dirname(file); ; dir = path.dirname(dir)) {
    chain.unshift(dir);
    if (dir === path.dirname(dir)) break;
  }
  if (!inside && statOf(cache, last)?.isDirectory()) chain.push(last);
  return chain.filter((dir) => statOf(cache, dir)?.isDirectory());
}

function who(program: ProgramSpec): string {
  return program.accessUser && program.accessUser !== program.user ? `${program.name}'s workers` : program.name;
}

function verb(program: ProgramSpec, file: string): string {
  return program.command[0] === file ? 'run' : program.writes?.includes(file) ? 'write' : 'read';
}

export function checkAccess(programs: ProgramSpec[], tree: string, asRoot = process.getuid?.() === 0): ZetaError[] {
  if (!asRoot) return []; // unprivileged, every program runs as the one who assembles
  const cache = new Map<string, Stats | null>();
  const verdicts = new Map<string, boolean>();
  const blocked = new Map<string, Blocked>();
  const root = path.resolve(tree);
  for (const program of programs) {
    const user = account(program.accessUser ?? program.user ?? 'root');
    if (!user || user.uid === 0) continue;
    const files = [program.command[0], ...(program.reads ?? []), ...(program.writes ?? [])].filter((f) =>
      path.isAbsolute(f),
    );
    for (const file of new Set(files.map((f) => path.resolve(f)))) {
      const stop = directoriesOnTheWay(file, root, cache).find((dir) => {
        const key = `${user.uid}\0${dir}`;
        if (!verdicts.has(key)) verdicts.set(key, modeAllows(user, statOf(cache, dir)!) || kernelAllows(user, dir));
        return !verdicts.get(key);
      });
      if (!stop) continue;
      const entry = blocked.get(stop) ?? { stats: statOf(cache, stop)!, needs: new Map() };
      blocked.set(stop, entry);
      const needs = entry.needs.get(user.name) ?? new Map<string, string>();
      entry.needs.set(user.name, needs);
      if (!needs.has(who(program))) needs.set(who(program), `${who(program)} must ${verb(program, file)} ${file}`);
    }
  }
  return [...blocked]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([dir, { stats, needs }]) =>
      engineErrors.unreachableDirectory({
        directory: dir,
        owner: userName(stats.uid),
        group: groupName(stats.gid),
        mode: stats.mode & 0o7777,
        users: [...needs.keys()],
        needs: [...needs].map(([user, list]) => {
          const [first, ...others] = list.keys();
          return `${user}: ${list.get(first)}${others.length ? ` (and ${others.join(', ')})` : ''}`;
        }),
        tree: root,
      }),
    );
}
