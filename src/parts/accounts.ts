/**
 * ctx.account: the machine's users, for the recipes' `user` options. /etc/passwd and /etc/group
 * are read once per run (no process to start); a name they lack is asked of NSS with `getent`
 * (users only LDAP or systemd-homed know). Each answer is kept for the run, so parts naming the
 * same user cost one look-up.
 */
import { readFileSync } from 'node:fs';
import type { Account } from '../recipe';

/** What a user name may be (useradd's rule): nothing else reaches getent. */
const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

export class Accounts {
  private readonly known = new Map<string, Account | null>();
  private readonly files = new Map<string, string[] | null>();

  lookup(name: string): Account | undefined {
    if (!this.known.has(name)) this.known.set(name, NAME.test(name) ? (this.find(name) ?? null) : null);
    return this.known.get(name) ?? undefined;
  }

  private find(name: string): Account | undefined {
    const entry = this.entry('passwd', name);
    if (!entry || entry.length < 4) return undefined;
    const gid = Number(entry[3]);
    const group = this.entry('group', String(gid))?.[0] ?? String(gid);
    return { name: entry[0], uid: Number(entry[2]), gid, group };
  }

  /** A user by name, or a group by name or gid: the flat file first, then NSS. */
  private entry(database: 'passwd' | 'group', key: string): string[] | undefined {
    const line = this.lines(database)?.find((l) => {
      const fields = l.split(':');
      return fields[0] === key || (database === 'group' && fields[2] === key);
    });
    if (line) return line.split(':');
    try {
      // loaded on first use: node:child_process costs a cold run milliseconds
      const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
      const found = execFileSync('getent', [database, key], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
      return found.trim().split(':');
    } catch {
      return undefined;
    }
  }

  private lines(database: 'passwd' | 'group'): string[] | undefined {
    if (!this.files.has(database)) {
      let lines: string[] | null = null;
      try {
        lines = readFileSync(`/etc/${database}`, 'utf8').split('\n');
      } catch {
        // no flat file: NSS alone
      }
      this.files.set(database, lines);
    }
    return this.files.get(database) ?? undefined;
  }
}
