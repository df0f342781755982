/** Errors of the command lines: every program's misuse; bin/assemble's arguments and commands. */
import { ZetaError } from '../zeta-error';
import { quoted, shortName } from './text';

const hex = (c: string): string => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`;

/** Shell words as a user would type them again: quoted only where the shell needs it. */
function commandLine(words: string[]): string {
  return words
    .map((w) => {
      if (/^[-A-Za-z0-9_./:=+,@%^]+$/.test(w)) return w;
      // bash's $'...' keeps a newline or control character visible on the one line
      if (/[\x00-\x1f\x7f]/.test(w)) return `$'${w.replace(/[\\']/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, hex)}'`;
      return `'${w.replace(/'/g, "'\\''")}'`;
    })
    .join(' ');
}

/** Errors of the command lines. */
export const cliErrors = {
  /**
   * A command line a program refuses; the one code of every program's misuse. `hint` says where
   * the usage is ("run bin/porter help ...").
   */
  badUsage(message: string, hint: string): ZetaError {
    return new ZetaError('BAD_USAGE', message, { hint });
  },
  /** annotate or query naming a section the configuration does not have. */
  noSuchSection(name: string, hint: string): ZetaError {
    return new ZetaError('MISSING_SECTION', `there is no section [${shortName(name)}]`, { hint });
  },
  /** query naming an option its section does not have. */
  noSuchOption(section: string, option: string, hint: string): ZetaError {
    return new ZetaError('MISSING_OPTION', `[${shortName(section)}] has no option ${quoted(option)}`, { hint });
  },
  misplacedAssignment(assignments: string[], command: string, corrected: string[]): ZetaError {
    const shown = assignments.map((a) => quoted(a)).join(', ');
    const it = assignments.length === 1 ? 'it' : 'they';
    const readAs = command === 'annotate' ? 'section names' : command === 'query' ? 'what to query' : 'part names';
    const message =
      `${shown} ${assignments.length === 1 ? 'comes' : 'come'} after the command "${command}": ` +
      `assignments go before the command, or ${it} would be read as ${readAs}`;
    const moved = commandLine(corrected.map((word) => shortName(word, 120)));
    return new ZetaError('MISPLACED_ASSIGNMENT', message, {
      hint: `put ${it === 'it' ? 'it' : 'them'} before the command: bin/assemble ${moved}`,
    });
  },
};
