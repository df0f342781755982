/**
 * Errors of the configuration language: parsing, files and extends, values and substitutions.
 * Messages say what happened; hints say what to do, with an example where it helps.
 */
import { ZetaError, together, type SourceLocation } from '../zeta-error';
import { displayPath } from '../../util/paths';
import { pathText, quoted, shortName, type Where } from './text';

function chainBase(file: string): string {
  return /^[a-zA-Z0-9+.-]+:\/\//.test(file) ? file : file.slice(0, file.lastIndexOf('/'));
}

function at(file: string, line: number, column = 1, length = 1): SourceLocation {
  return { file, line, column, length };
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index + 1 : 1;
}

function parseLineHint(text: string): string {
  const spacedOperator = /^([^\s{}[\]=:]+)\s*([-+])\s+=/.exec(text);
  if (spacedOperator) {
    const [, name, operator] = spacedOperator;
    return (
      `"${operator}=" is one operator, with no space inside it: write "${name} ${operator}= ..." ` +
      '(zc.buildout rejects this line too).'
    );
  }
  if (/^\s/.test(text)) {
    return (
      'an indented line continues the option above it; there is none here. ' +
      'Remove the indentation or put it under an option.'
    );
  }
  if (text.trimStart().startsWith('[')) {
    return (
      'a section header is "[name]" alone on its line; ' +
      'names cannot contain spaces, ":", ";", "#", "{", "}" or brackets.'
    );
  }
  return 'an option line is "name = value"; option names cannot contain spaces, "{", "}", "[", "]", ":" or "=".';
}

export const errors = {
  // --- parsing -------------------------------------------------------------------------------
  parseLine(file: string, line: number, text: string, section: string | undefined): ZetaError {
    const hint = parseLineHint(text);
    return new ZetaError('PARSE_SYNTAX', `cannot parse this line: ${quoted(text, 120)}`, {
      location: at(file, line, firstNonSpace(text), Math.max(1, text.trim().length)),
      section,
      hint,
    });
  },
  missingSectionHeader(file: string, line: number, text: string): ZetaError {
    return new ZetaError('MISSING_SECTION_HEADER', 'an option appears before any section header', {
      location: at(file, line, firstNonSpace(text), Math.max(1, text.trim().length)),
      hint: 'start the file with a section, for example "[buildout]".',
    });
  },
  badCondition(file: string, line: number, text: string, section: string, expression: string, why: string): ZetaError {
    const column = text.indexOf(expression) + 1 || 1;
    return new ZetaError('BAD_CONDITION', `the condition of section [${section}] cannot be evaluated: ${why}`, {
      location: at(file, line, column, Math.max(1, expression.length)),
      section,
      hint:
        "conditions are Python expressions over buildout's names (linux, macosx, python3, " +
        'sys.platform, os.name, platform.machine(), ...); write "#" and ";" as \\x23 and \\x3b.',
    });
  },
  optionSetTwice(file: string, line: number, section: string, option: string, earlier: number): ZetaError {
    const message = `option "${option}" of [${section}] is set again; the value of line ${earlier} is discarded`;
    return new ZetaError('OPTION_SET_TWICE', message, {
      location: at(file, line),
      section,
      option,
      hint: 'remove one of the two assignments.',
    });
  },

  // --- files and extends ---------------------------------------------------------------------
  configNotFound(file: string, hint: string, from?: SourceLocation): ZetaError {
    return new ZetaError('CONFIG_NOT_FOUND', `cannot open configuration file ${shortName(file, 120)}`, {
      location: from,
      hint,
    });
  },
  /** Neither buildout.cfg nor deployment.cfg, and no -c. */
  noDefaultConfig(): ZetaError {
    const message = 'no configuration file: neither buildout.cfg nor deployment.cfg is in the current directory';
    return new ZetaError('CONFIG_NOT_FOUND', message, {
      hint: 'name one with -c FILE, for example "bin/assemble -c deployment.cfg".',
    });
  },
  configUnreadable(file: string, why: string, from?: SourceLocation): ZetaError {
    const message = `cannot read configuration file ${shortName(file, 120)}: ${shortName(why, 120)}`;
    return new ZetaError('CONFIG_UNREADABLE', message, { location: from });
  },
  configNotUtf8(file: string, byte: number, offset: number, location: SourceLocation, utf16: boolean): ZetaError {
    const hex = `0x${byte.toString(16).padStart(2, '0')}`;
    const message =
      `configuration file ${file} is not valid UTF-8: byte ${hex} at byte offset ${offset} ` +
      `(line ${location.line}, column ${location.column}) does not begin a valid UTF-8 sequence`;
    return new ZetaError('CONFIG_NOT_UTF8', message, {
      location,
      hint: utf16
        ? 'the file is UTF-16 (it starts with a UTF-16 byte-order mark); configuration files are ' +
          'UTF-8, as zc.buildout reads them: convert it, e.g. iconv -f utf-16 -t utf-8.'
        : 'configuration files are UTF-8, as zc.buildout reads them (it refuses this file too); ' +
          'save it as UTF-8, e.g. iconv -f latin1 -t utf-8 if it was written in Latin-1.',
    });
  },
  extendsCycle(chain: string[], from?: SourceLocation): ZetaError {
    const shown = chain.map((file) => displayPath(file, chainBase(chain[0])));
    return new ZetaError('EXTENDS_CYCLE', `recursive extends: ${pathText(shown, ' -> ')}`, {
      location: from,
      section: 'buildout',
      option: 'extends',
      hint: 'a file may not extend itself, directly or through other files; remove one link of the cycle.',
    });
  },
  parseFailed(all: ZetaError[]): ZetaError {
    return together(all);
  },

  // --- values --------------------------------------------------------------------------------
  missingSection(ref: string, section: string, where: Where, suggestion?: string): ZetaError {
    return new ZetaError('MISSING_SECTION', `${ref} refers to section [${section}], which is not defined`, {
      ...where,
      hint: suggestion ? `did you mean [${suggestion}]?` : `define a [${section}] section or fix the reference.`,
    });
  },
  missingOption(ref: string, section: string, option: string, where: Where, suggestion?: string): ZetaError {
    const message = `${ref} refers to option "${option}" of [${section}], which does not exist`;
    return new ZetaError('MISSING_OPTION', message, {
      ...where,
      hint: suggestion
        ? `did you mean \${${section}:${suggestion}}?`
        : `add "${option} = ..." to [${section}] or fix the reference.`,
    });
  },
  badSubstitution(ref: string, why: string, where: Where): ZetaError {
    return new ZetaError('BAD_SUBSTITUTION', `the substitution ${ref} ${why}`, {
      ...where,
      hint:
        'a substitution is ${section:option} or ${:option}; names use letters, ' +
        'digits, space, "-", "." and "_". Write $${ to keep a literal "${".',
    });
  },
  circularReference(cycle: string[], where: Where): ZetaError {
    return new ZetaError('CIRCULAR_REFERENCE', `circular reference in substitutions: ${pathText(cycle, ' -> ')}`, {
      ...where,
      hint: 'one of these options must get its value without referring back to the others.',
    });
  },
  macroLoop(chain: string[], where: Where): ZetaError {
    return new ZetaError(
      'MACRO_LOOP',
      `infinite macro loop: ${pathText(
        chain.map((s) => `[${s}]`),
        ' <= ',
      )}`,
      {
        ...where,
        hint: 'a section may not extend itself through "<=", directly or indirectly.',
      },
    );
  },
  macroMissing(name: string, where: Where, suggestion?: string): ZetaError {
    return new ZetaError('MACRO_MISSING', `"<=" names section [${name}], which is not defined`, {
      ...where,
      hint: suggestion ? `did you mean [${suggestion}]?` : `define [${name}] or fix the "<=" line.`,
    });
  },
  badOverride(argument: string, why: string): ZetaError {
    return new ZetaError('BAD_OVERRIDE', `bad command-line assignment ${quoted(argument)}: ${why}`, {
      hint: 'write section:option=value, or option=value for [buildout]; for example "ports:http=8080".',
    });
  },
  /** A warning: the same option assigned twice on the command line. */
  repeatedOverride(section: string, option: string, kept: string): ZetaError {
    const message =
      `${shortName(section)}:${shortName(option)} is assigned twice on the command line; ` +
      `as in zc.buildout, the value that sorts last wins: ${quoted(kept)}`;
    return new ZetaError('REPEATED_OVERRIDE', message, {
      section,
      option,
      hint: 'assign each option once; to add lines to a value, use section:option+=value.',
    });
  },
  badBoolean(section: string, option: string, value: string, where: Where): ZetaError {
    const message = `option "${option}" of [${section}] must be true or false, not ${quoted(value)}`;
    return new ZetaError('BAD_BOOLEAN', message, {
      ...where,
      section,
      option,
      hint: `write "${option} = true" or "${option} = false".`,
    });
  },
  badBuildoutValue(option: string, value: string, expected: string, where: Where): ZetaError {
    const message = `option "${option}" of [buildout] must be ${expected}, not ${JSON.stringify(value)}`;
    const example = `${option} = ${option === 'log-level' ? 'INFO' : '0'}`;
    return new ZetaError('BAD_BUILDOUT_OPTION', message, {
      ...where,
      section: 'buildout',
      option,
      hint: `zc.buildout refuses this value too; for example "${example}".`,
    });
  },
  installFromCacheOffline(where: Where): ZetaError {
    return new ZetaError('OFFLINE_CONFLICT', 'install-from-cache = true cannot be used in offline mode', {
      ...where,
      section: 'buildout',
      option: 'install-from-cache',
      hint:
        'as in zc.buildout, offline installs nothing that is not already there, not even from ' +
        'the cache: drop -o (offline = true), or set install-from-cache = false.',
    });
  },
  remoteRelativePath(option: string, value: string, file: string): ZetaError {
    const message =
      `"${option} = ${value}" is relative, but it is set in the remote file ${file}, ` +
      'which has no directory of its own';
    return new ZetaError('REMOTE_RELATIVE_PATH', message, {
      section: 'buildout',
      option,
      hint: `give an absolute path, or set "${option}" in a local file.`,
    });
  },
};
