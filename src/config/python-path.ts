/**
 * Python's posixpath functions zc.buildout builds its directories with, reproduced exactly: a
 * directory option's value must come out as the same string (no normalisation where Python makes
 * none, `~user` expanded only when the user exists).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** os.path.join: no normalisation, an absolute second part wins. */
export function pythonJoin(base: string, name: string): string {
  if (name.startsWith('/')) return name;
  if (!base || base.endsWith('/')) return base + name;
  return `${base}/${name}`;
}

function homeOf(user: string): string | undefined {
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const fields = line.split(':');
      if (fields[0] === user && fields.length >= 6) return fields[5];
    }
  } catch {
    // no user database: the path stays as written, as in Python
  }
  return undefined;
}

/** os.path.expanduser: `~` is $HOME (else the account's home), `~user` that user's home. */
export function expandUser(text: string): string {
  if (!text.startsWith('~')) return text;
  const slash = text.indexOf('/', 1);
  const end = slash < 0 ? text.length : slash;
  const user = text.slice(1, end);
  // node:os is loaded only here: every run would otherwise pay for it at start-up
  const home = user
    ? homeOf(user)
    : (process.env.HOME ?? (require('node:os') as typeof import('node:os')).userInfo().homedir);
  if (home === undefined) return text;
  const expanded = home.replace(/\/+$/, '') + text.slice(end);
  return expanded || '/';
}

/** os.path.abspath: joined to the working directory and normalised; POSIX keeps a leading `//`. */
export function pythonAbspath(text: string): string {
  const joined = text.startsWith('/') ? text : pythonJoin(process.cwd(), text);
  const normal = path.posix.normalize(joined).replace(/(.)\/+$/, '$1');
  return /^\/\/(?!\/)/.test(joined) && !normal.startsWith('//') ? `/${normal}` : normal;
}
