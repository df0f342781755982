/**
 * findBinary: the executable a service recipe runs — the path an option names (usually a cmmi
 * part's `${nginx-build:location}/sbin/nginx`), or else the first match on PATH (and in the
 * sbin directories Debian puts daemons in). A missing binary is an error at assembly time that
 * names the Debian package providing it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';
import type { OptionsContext } from '../../src/recipe';

const SYSTEM_DIRS = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Looks a command name up on PATH and the system's sbin/bin directories. */
export function whichBinary(name: string): string | undefined {
  if (name.includes('/')) return executable(name) ? path.resolve(name) : undefined;
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SYSTEM_DIRS];
  for (const dir of dirs) {
    const candidate = path.join(dir, name);
    if (executable(candidate)) return candidate;
  }
  return undefined;
}

/**
 * The binary for a part: `option` (default "executable") when set, else `names` looked up in
 * order. `debianPackage` is named in the error when nothing is found.
 */
export function findBinary(ctx: OptionsContext, names: string[], debianPackage: string, option = 'executable'): string {
  const given = ctx.options.get(option)?.trim();
  if (given) {
    const found = whichBinary(given);
    if (!found) {
      throw ctx.error(option, `${option} = ${given}: no executable file there`,
        `build it first (a cmmi part), fix the path, or remove the option to use the system's (Debian package ${debianPackage}).`);
    }
    return found;
  }
  for (const name of names) {
    const found = whichBinary(name);
    if (found) return found;
  }
  throw ctx.error('recipe', `part [${ctx.name}] needs ${names[0]}, which is not installed`,
    `install the Debian package: apt-get install ${debianPackage} (or build it with a cmmi part and set ${option} = \${part:location}/...).`);
}
