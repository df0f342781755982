/**
 * The machine's users and groups as the kernel sees them for permission checks: a user's uid,
 * primary gid and every group it is a member of (what `setpriv --init-groups` gives a program).
 * /etc/passwd and /etc/group first, `getent` for a name only NSS knows.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface Account {
  name: string;
  uid: number;
  gid: number;
  /** The primary group and every group that lists the user as a member. */
  groups: Set<number>;
}

interface Tables {
  users: Map<string, string[]>;
  uids: Map<number, string>;
  groups: Array<string[]>;
  gids: Map<number, string>;
}

let tables: Tables | undefined;

function lines(file: string): string[][] {
  try {
    return readFileSync(file, 'utf8')
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => l.split(':'));
  } catch {
    return [];
  }
}

function load(): Tables {
  if (tables) return tables;
  const passwd = lines('/etc/passwd');
  const group = lines('/etc/group');
  tables = {
    users: new Map(passwd.map((f) => [f[0], f])),
    uids: new Map(passwd.map((f) => [Number(f[2]), f[0]])),
    groups: group,
    gids: new Map(group.map((f) => [Number(f[2]), f[0]])),
  };
  return tables;
}

function getent(database: string, key: string): string[] | undefined {
  try {
    return execFileSync('getent', [database, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] })
      .trim()
      .split(':');
  } catch {
    return undefined;
  }
}

/** A user by name, or undefined when the machine has none of that name. */
export function account(name: string): Account | undefined {
  const { users, groups } = load();
  const entry = users.get(name) ?? (/^[A-Za-z_][A-Za-z0-9_.-]*\$?$/.test(name) ? getent('passwd', name) : undefined);
  if (!entry || entry.length < 4) return undefined;
  const gid = Number(entry[3]);
  const member = new Set([gid]);
  for (const g of groups) if ((g[3] ?? '').split(',').includes(entry[0])) member.add(Number(g[2]));
  return { name: entry[0], uid: Number(entry[2]), gid, groups: member };
}

export function userName(uid: number): string {
  return load().uids.get(uid) ?? String(uid);
}

export function groupName(gid: number): string {
  return load().gids.get(gid) ?? String(gid);
}
