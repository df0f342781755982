/**
 * System users the daemons run as. A `user = nobody` option is checked at assembly (the user must
 * exist on this machine: a typo would otherwise surface as a daemon that will not start), and at
 * install the tree's run and data directories are given to that user when the assembler runs as
 * root. /etc/passwd and /etc/group are read first; `getent` covers users only NSS knows (LDAP,
 * systemd-homed).
 */
import { readFileSync } from 'node:fs';
import type { OptionsContext, PartOptions } from '../../src/recipe';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
  /** The primary group's name (nginx's `user` directive needs it: Debian's nobody is in nogroup). */
  group: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;
const cache = new Map<string, SystemUser | null>();

/** A user by name, or a group by name or gid: the flat files first (no process to start), then NSS. */
function getent(database: string, key: string): string[] | undefined {
  const file = database === 'passwd' ? '/etc/passwd' : '/etc/group';
  try {
    const line = readFileSync(file, 'utf8').split('\n').find((l) => {
      const fields = l.split(':');
      return fields[0] === key || (database === 'group' && fields[2] === key);
    });
    if (line) return line.split(':');
  } catch {
    // no flat file: ask NSS
  }
  try {
    // users that only NSS knows (LDAP, systemd-homed)
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process'); // loaded on first use: it costs a cold run milliseconds
    return execFileSync('getent', [database, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim().split(':');
  } catch {
    return undefined;
  }
}

/** The user named `name`, or undefined when this machine has no such user. */
export function lookupUser(name: string): SystemUser | undefined {
  if (cache.has(name)) return cache.get(name) ?? undefined;
  let user: SystemUser | undefined;
  const entry = NAME.test(name) ? getent('passwd', name) : undefined;
  if (entry && entry.length >= 4) {
    const gid = Number(entry[3]);
    const group = getent('group', String(gid))?.[0] ?? String(gid);
    user = { name: entry[0], uid: Number(entry[2]), gid, group };
  }
  cache.set(name, user ?? null);
  return user;
}

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

/**
 * The user an option names, checked at assembly; undefined when the option is not set. The
 * option may name several users, best first (`user = www-data nobody`): the first that exists
 * on this machine is the one, so a deployment can prefer a distribution's service user and fall
 * back where that package is not installed.
 */
export function checkUser(ctx: OptionsContext, option = 'user'): SystemUser | undefined {
  const names = ctx.options.words(option);
  if (!names.length) return undefined;
  for (const name of names) {
    if (!NAME.test(name)) {
      throw ctx.error(option, `"${name}" (option ${option} of [${ctx.name}]) is not a user name`, 'a user name is letters, digits, "_", "." and "-", such as nobody or www-data.');
    }
  }
  const user = firstUser(names);
  if (!user) {
    const [name] = names;
    throw ctx.error(option, names.length === 1
      ? `user "${name}" (option ${option} of [${ctx.name}]) does not exist on this machine`
      : `none of the users ${names.map((n) => `"${n}"`).join(', ')} (option ${option} of [${ctx.name}]) exists on this machine`,
    `create it first (adduser --system --no-create-home ${name}) or name an existing user such as nobody.`);
  }
  return user;
}

function firstUser(names: string[]): SystemUser | undefined {
  for (const name of names) {
    const user = NAME.test(name) ? lookupUser(name) : undefined;
    if (user) return user;
  }
  return undefined;
}

/** The same user at install time (already checked by the options phase). */
export function userOf(options: PartOptions, option = 'user'): SystemUser | undefined {
  return firstUser(options.words(option));
}
