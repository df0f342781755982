/**
 * `bin/assemble nodeset SUB [NODE] [flags]`: the subcommand, its node and its flags, checked
 * against the table below (a subcommand added is a row: what it takes, whether it names a node).
 */
import { cliErrors, quoted } from '../errors/codes';
import { nearest } from '../util/suggest';
import type { NodesetArguments } from '../commands/nodeset';

interface Subcommand {
  /** `required`: one NODE; `optional`: zero or one; `none`. */
  node: 'required' | 'optional' | 'none';
  /** Flags with no value. */
  switches: string[];
  /** Flags followed by a value (`--target DIR` or `--target=DIR`). */
  valued: string[];
  /** More words after NODE (annotate's sections). */
  rest: boolean;
}

export const NODESET_SUBCOMMANDS: Record<string, Subcommand> = {
  list: { node: 'none', switches: ['--json'], valued: [], rest: false },
  'ssh-config': { node: 'none', switches: [], valued: [], rest: false },
  assemble: { node: 'required', switches: ['--plan', '--json'], valued: ['--target', '--shared'], rest: false },
  annotate: { node: 'required', switches: ['--json'], valued: [], rest: true },
  deploy: { node: 'none', switches: ['--json'], valued: ['--deploy-root-of', '--known-hosts'], rest: false },
  rollback: { node: 'none', switches: ['--json'], valued: ['--deploy-root-of', '--known-hosts'], rest: false },
  status: { node: 'none', switches: ['--json'], valued: ['--deploy-root-of', '--known-hosts'], rest: false },
  plan: { node: 'none', switches: ['--json'], valued: ['--deploy-root-of', '--known-hosts'], rest: false },
  logs: {
    node: 'none',
    switches: ['--json'],
    valued: ['--since', '--grep', '--node', '--deploy-root-of', '--known-hosts'],
    rest: true,
  },
};

const USAGE = 'run "bin/assemble --help" for the nodeset subcommands.';

export function parseNodesetArguments(words: string[]): NodesetArguments {
  const [sub, ...rest] = words;
  const known = Object.keys(NODESET_SUBCOMMANDS);
  if (!sub) throw cliErrors.badUsage('nodeset needs a subcommand', `subcommands are: ${known.join(', ')}.`);
  const spec = NODESET_SUBCOMMANDS[sub];
  if (!spec) {
    const near = nearest(sub, known);
    const hint = `${near ? `did you mean ${quoted(near)}? ` : ''}subcommands are: ${known.join(', ')}.`;
    throw cliErrors.badUsage(`nodeset has no subcommand ${quoted(sub)}`, hint);
  }
  const parsed: NodesetArguments = { sub, flags: new Map(), rest: [] };
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const word = rest[i];
    if (!word.startsWith('--')) {
      positional.push(word);
      continue;
    }
    const [flag, inline] = word.includes('=')
      ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)]
      : [word];
    if (spec.switches.includes(flag) && inline === undefined) parsed.flags.set(flag, 'true');
    else if (spec.valued.includes(flag)) {
      const value = inline ?? rest[++i];
      if (!value) throw cliErrors.badUsage(`nodeset ${sub} ${flag} needs a value`, USAGE);
      parsed.flags.set(flag, value);
    } else {
      const takes = [...spec.switches, ...spec.valued];
      throw cliErrors.badUsage(
        `nodeset ${sub} does not know the option ${quoted(word)}`,
        takes.length ? `nodeset ${sub} takes ${takes.join(', ')}.` : `nodeset ${sub} takes no options.`,
      );
    }
  }
  if (spec.node !== 'none' && positional.length) parsed.node = positional.shift();
  if (spec.node === 'required' && !parsed.node)
    throw cliErrors.badUsage(`nodeset ${sub} needs a node name`, 'bin/assemble -c FILE nodeset list shows the nodes.');
  if (positional.length && !spec.rest)
    throw cliErrors.badUsage(
      `nodeset ${sub} takes no more words than it has: ${positional.map((w) => quoted(w)).join(', ')}`,
      USAGE,
    );
  parsed.rest = positional;
  return parsed;
}
