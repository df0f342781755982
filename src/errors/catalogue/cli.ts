/** Codes of the command lines: bin/assemble's, and the one misuse code every program shares. */
import { EXIT, type CodeEntry } from './status';

const { refused } = EXIT;

export const cliCodes = {
  BAD_USAGE: {
    status: refused,
    meaning: 'a command line is wrong: an unknown command or flag, a missing or extra argument (every program)',
    hint: 'run the program with --help (bin/porter help) for its usage.',
  },
  MISPLACED_ASSIGNMENT: {
    status: refused,
    meaning: "a section:option=value assignment comes after bin/assemble's command, where it would be read as a name",
    hint: 'put assignments before the command: bin/assemble ports:http=9000 plan.',
  },
} satisfies Record<string, CodeEntry>;
