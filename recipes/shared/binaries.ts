/**
 * findBinary: the executable a service recipe runs — the path an option names (usually a cmmi
 * part's `${nginx-build:location}/sbin/nginx`), or else the first match on PATH (and in the
 * sbin directories Debian puts daemons in), looked up with ctx.which. A missing binary is an
 * error at assembly time that names the Debian package providing it.
 */
import type { OptionsContext } from '../../src/recipe';

/** Where Debian puts programs, after PATH: daemons live in sbin, which a user's PATH may lack. */
export const SYSTEM_DIRS: readonly string[] = [
  '/usr/local/sbin',
  '/usr/local/bin',
  '/usr/sbin',
  '/usr/bin',
  '/sbin',
  '/bin',
];

/**
 * The binary for a part: `option` (default "executable") when set, else `names` looked up in
 * order. `debianPackage` is named in the error when nothing is found.
 */
export function findBinary(ctx: OptionsContext, names: string[], debianPackage: string, option = 'executable'): string {
  const given = ctx.options.get(option)?.trim();
  if (given) {
    const found = ctx.which(given, SYSTEM_DIRS);
    if (!found) {
      throw ctx.error(
        option,
        `${option} = ${given}: no executable file there`,
        `build it first (a cmmi part), fix the path, or remove the option to use the system's (Debian package ` +
          `${debianPackage}).`,
      );
    }
    return found;
  }
  for (const name of names) {
    const found = ctx.which(name, SYSTEM_DIRS);
    if (found) return found;
  }
  throw ctx.error(
    'recipe',
    `part [${ctx.name}] needs ${names[0]}, which is not installed`,
    `install the Debian package: apt-get install ${debianPackage} (or build it with a cmmi part and set ` +
      `${option} = \${part:location}/...).`,
  );
}
