/**
 * System users the daemons run as. A `user = nobody` option is checked at assembly (the user must
 * exist on this machine: a typo would otherwise surface as a daemon that will not start), through
 * ctx.account, and the user found is what the recipe's options phase hands to install, which
 * gives the tree's run and data directories to that user when the assembler runs as root.
 */
import type { Account, OptionsContext } from '../../src/recipe';

/** A user of this machine, as ctx.account finds it. */
export type SystemUser = Account;

const NAME = /^[A-Za-z_][A-Za-z0-9_.-]{0,31}\$?$/;

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
      throw ctx.error(
        option,
        `"${name}" (option ${option} of [${ctx.name}]) is not a user name`,
        'a user name is letters, digits, "_", "." and "-", such as nobody or www-data.',
      );
    }
  }
  for (const name of names) {
    const user = ctx.account(name);
    if (user) return user;
  }
  const [name] = names;
  throw ctx.error(
    option,
    names.length === 1
      ? `user "${name}" (option ${option} of [${ctx.name}]) does not exist on this machine`
      : `none of the users ${names.map((n) => `"${n}"`).join(', ')} (option ${option} of [${ctx.name}]) exists ` +
          `on this machine`,
    `create it first (adduser --system --no-create-home ${name}) or name an existing user such as nobody.`,
  );
}
