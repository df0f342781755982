/** Codes of the configuration language: reading, parsing, extends, values and substitutions. */
import { EXIT, type CodeEntry } from './status';

const { refused, warning } = EXIT;

export const configCodes = {
  PARSE_SYNTAX: {
    status: refused,
    meaning: 'a line of a configuration file is neither a section header, an option nor a continuation',
    hint: 'an option line is "name = value"; a section header is "[name]" alone on its line.',
  },
  MISSING_SECTION_HEADER: {
    status: refused,
    meaning: 'an option comes before the first section header of a file',
    hint: 'start the file with a section, for example "[buildout]".',
  },
  BAD_CONDITION: {
    status: refused,
    meaning: 'the condition of a conditional section header cannot be evaluated',
    hint: "conditions are Python expressions over buildout's names (linux, macosx, python3, sys.platform, ...).",
  },
  OPTION_SET_TWICE: {
    status: refused,
    meaning: 'a section of one file sets the same option twice',
    hint: 'remove one of the two assignments.',
  },
  CONFIG_NOT_FOUND: {
    status: refused,
    meaning: 'a configuration file (given with -c, the default one, or named by extends) does not exist',
    hint: 'check the file name; -c FILE names the configuration, extends names the files it builds on.',
  },
  CONFIG_UNREADABLE: {
    status: refused,
    meaning: 'a configuration file exists but cannot be read (a directory, no permission)',
    hint: 'check that the name is a file and that you may read it (ls -l shows its owner and mode).',
  },
  CONFIG_NOT_UTF8: {
    status: refused,
    meaning: 'a configuration file is not valid UTF-8, which zc.buildout refuses too',
    hint: 'save the file as UTF-8, for example with iconv -f latin1 -t utf-8.',
  },
  EXTENDS_CYCLE: {
    status: refused,
    meaning: 'files extend each other in a circle',
    hint: 'a file may not extend itself, directly or through other files; remove one link of the cycle.',
  },
  MISSING_SECTION: {
    status: refused,
    meaning: 'a substitution, a command or a recipe names a section that is not defined',
    hint: 'define the section, or fix the name (annotate lists the sections).',
  },
  MISSING_OPTION: {
    status: refused,
    meaning: 'a substitution or a query names an option its section does not have',
    hint: 'add the option to the section, or fix the name (annotate SECTION lists its options).',
  },
  BAD_SUBSTITUTION: {
    status: refused,
    meaning: 'a ${...} substitution is malformed',
    hint: 'a substitution is ${section:option} or ${:option}; write $${ to keep a literal "${".',
  },
  CIRCULAR_REFERENCE: {
    status: refused,
    meaning: 'options refer to each other in a circle',
    hint: 'one of these options must get its value without referring back to the others.',
  },
  MACRO_LOOP: {
    status: refused,
    meaning: 'sections extend each other through "<=" in a circle',
    hint: 'a section may not extend itself through "<=", directly or indirectly.',
  },
  MACRO_MISSING: {
    status: refused,
    meaning: '"<=" names a section that is not defined',
    hint: 'define the section "<=" names, or fix the "<=" line.',
  },
  BAD_OVERRIDE: {
    status: refused,
    meaning: 'a section:option=value assignment on the command line is malformed',
    hint: 'write section:option=value, or option=value for [buildout]; for example "ports:http=8080".',
  },
  REPEATED_OVERRIDE: {
    status: warning,
    meaning: 'a warning: the command line assigns one option twice; as in zc.buildout, the value that sorts last wins',
    hint: 'assign each option once; to add lines to a value, use section:option+=value.',
  },
  BAD_BOOLEAN: {
    status: refused,
    meaning: 'an option that is true or false has another value',
    hint: 'write "true" or "false".',
  },
  BAD_BUILDOUT_OPTION: {
    status: refused,
    meaning: 'an option of [buildout] has a value zc.buildout refuses too',
    hint: 'the message says which values the option takes.',
  },
  OFFLINE_CONFLICT: {
    status: refused,
    meaning: 'install-from-cache = true is set in offline mode, which zc.buildout refuses too',
    hint: 'drop -o (offline = true), or set install-from-cache = false.',
  },
  REMOTE_RELATIVE_PATH: {
    status: refused,
    meaning:
      'a directory option set in a file fetched from a URL is relative, ' + 'so it has no directory to be relative to',
    hint: 'give an absolute path, or set the option in a local file.',
  },
} satisfies Record<string, CodeEntry>;
