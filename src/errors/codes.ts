/**
 * The catalogue of error codes: one factory per code, so the wording of each problem lives in one
 * place. Messages say what happened; hints say what to do, with an example where it helps.
 */
import { ZetaError, together, type SourceLocation } from './zeta-error';
import { displayPath } from '../util/paths';

function chainBase(file: string): string {
  return /^[a-zA-Z0-9+.-]+:\/\//.test(file) ? file : file.slice(0, file.lastIndexOf('/'));
}

function at(file: string, line: number, column = 1, length = 1): SourceLocation {
  return { file, line, column, length };
}

/** A cycle's path; one thousands of links long shows its ends and how many links are between. */
function pathText(links: string[], separator: string): string {
  if (links.length <= 24) return links.join(separator);
  const hidden = links.length - 20;
  return `${links.slice(0, 10).join(separator)}${separator}... ${hidden} more ...${separator}${links.slice(-10).join(separator)}`;
}

function firstNonSpace(text: string): number {
  const m = /\S/.exec(text);
  return m ? m.index + 1 : 1;
}

function parseLineHint(text: string): string {
  const spacedOperator = /^([^\s{}[\]=:]+)\s*([-+])\s+=/.exec(text);
  if (spacedOperator) {
    const [, name, operator] = spacedOperator;
    return `"${operator}=" is one operator, with no space inside it: write "${name} ${operator}= ..." (zc.buildout rejects this line too).`;
  }
  if (/^\s/.test(text)) return 'an indented line continues the option above it; there is none here. Remove the indentation or put it under an option.';
  if (text.trimStart().startsWith('[')) return 'a section header is "[name]" alone on its line; names cannot contain spaces, ":", ";", "#", "{", "}" or brackets.';
  return 'an option line is "name = value"; option names cannot contain spaces, "{", "}", "[", "]", ":" or "=".';
}

export const errors = {
  // --- parsing -------------------------------------------------------------------------------
  parseLine(file: string, line: number, text: string, section: string | undefined): ZetaError {
    const hint = parseLineHint(text);
    return new ZetaError('PARSE_SYNTAX', `cannot parse this line: ${JSON.stringify(text)}`, {
      location: at(file, line, firstNonSpace(text), Math.max(1, text.trim().length)), section, hint,
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
      location: at(file, line, column, Math.max(1, expression.length)), section,
      hint: 'conditions are Python expressions over buildout\'s names (linux, macosx, python3, sys.platform, os.name, platform.machine(), ...); write "#" and ";" as \\x23 and \\x3b.',
    });
  },
  optionSetTwice(file: string, line: number, section: string, option: string, earlier: number): ZetaError {
    return new ZetaError('OPTION_SET_TWICE', `option "${option}" of [${section}] is set again; the value of line ${earlier} is discarded`, {
      location: at(file, line), section, option, hint: 'remove one of the two assignments.',
    });
  },

  // --- files and extends ---------------------------------------------------------------------
  configNotFound(file: string, hint: string, from?: SourceLocation): ZetaError {
    return new ZetaError('CONFIG_NOT_FOUND', `cannot open configuration file ${file}`, { location: from, hint });
  },
  configUnreadable(file: string, why: string, from?: SourceLocation): ZetaError {
    return new ZetaError('CONFIG_UNREADABLE', `cannot read configuration file ${file}: ${why}`, { location: from });
  },
  configNotUtf8(file: string, byte: number, offset: number, location: SourceLocation, utf16: boolean): ZetaError {
    const hex = `0x${byte.toString(16).padStart(2, '0')}`;
    return new ZetaError('CONFIG_NOT_UTF8', `configuration file ${file} is not valid UTF-8: byte ${hex} at byte offset ${offset} (line ${location.line}, column ${location.column}) does not begin a valid UTF-8 sequence`, {
      location,
      hint: utf16
        ? 'the file is UTF-16 (it starts with a UTF-16 byte-order mark); configuration files are UTF-8, as zc.buildout reads them: convert it, e.g. iconv -f utf-16 -t utf-8.'
        : 'configuration files are UTF-8, as zc.buildout reads them (it refuses this file too); save it as UTF-8, e.g. iconv -f latin1 -t utf-8 if it was written in Latin-1.',
    });
  },
  extendsCycle(chain: string[], from?: SourceLocation): ZetaError {
    const shown = chain.map((file) => displayPath(file, chainBase(chain[0])));
    return new ZetaError('EXTENDS_CYCLE', `recursive extends: ${pathText(shown, ' -> ')}`, {
      location: from, section: 'buildout', option: 'extends',
      hint: 'a file may not extend itself, directly or through other files; remove one link of the cycle.',
    });
  },
  parseFailed(all: ZetaError[]): ZetaError {
    return together(all);
  },

  // --- values --------------------------------------------------------------------------------
  missingSection(ref: string, section: string, where: Where, suggestion?: string): ZetaError {
    return new ZetaError('MISSING_SECTION', `${ref} refers to section [${section}], which is not defined`, {
      ...where, hint: suggestion ? `did you mean [${suggestion}]?` : `define a [${section}] section or fix the reference.`,
    });
  },
  missingOption(ref: string, section: string, option: string, where: Where, suggestion?: string): ZetaError {
    return new ZetaError('MISSING_OPTION', `${ref} refers to option "${option}" of [${section}], which does not exist`, {
      ...where, hint: suggestion ? `did you mean \${${section}:${suggestion}}?` : `add "${option} = ..." to [${section}] or fix the reference.`,
    });
  },
  badSubstitution(ref: string, why: string, where: Where): ZetaError {
    return new ZetaError('BAD_SUBSTITUTION', `the substitution ${ref} ${why}`, {
      ...where, hint: 'a substitution is ${section:option} or ${:option}; names use letters, digits, space, "-", "." and "_". Write $${ to keep a literal "${".',
    });
  },
  circularReference(cycle: string[], where: Where): ZetaError {
    return new ZetaError('CIRCULAR_REFERENCE', `circular reference in substitutions: ${pathText(cycle, ' -> ')}`, {
      ...where, hint: 'one of these options must get its value without referring back to the others.',
    });
  },
  circularParts(cycle: string[], ref: string, where: Where): ZetaError {
    return new ZetaError('PART_CYCLE', `parts depend on each other in a circle: ${pathText(cycle, ' -> ')}`, {
      ...where, hint: `${ref} needs [${cycle[1] ?? cycle[0]}] ready first, and it in turn needs this part; break one link of the circle.`,
    });
  },
  macroLoop(chain: string[], where: Where): ZetaError {
    return new ZetaError('MACRO_LOOP', `infinite macro loop: ${pathText(chain.map((s) => `[${s}]`), ' <= ')}`, {
      ...where, hint: 'a section may not extend itself through "<=", directly or indirectly.',
    });
  },
  macroMissing(name: string, where: Where, suggestion?: string): ZetaError {
    return new ZetaError('MACRO_MISSING', `"<=" names section [${name}], which is not defined`, {
      ...where, hint: suggestion ? `did you mean [${suggestion}]?` : `define [${name}] or fix the "<=" line.`,
    });
  },
  badOverride(argument: string, why: string): ZetaError {
    return new ZetaError('BAD_OVERRIDE', `bad command-line assignment ${JSON.stringify(argument)}: ${why}`, {
      hint: 'write section:option=value, or option=value for [buildout]; for example "ports:http=8080".',
    });
  },
  /** A warning: the same option assigned twice on the command line. */
  repeatedOverride(section: string, option: string, kept: string): ZetaError {
    return new ZetaError('REPEATED_OVERRIDE', `${section}:${option} is assigned twice on the command line; as in zc.buildout, the value that sorts last wins: ${JSON.stringify(kept)}`, {
      section, option, hint: 'assign each option once; to add lines to a value, use section:option+=value.',
    });
  },
  badBoolean(section: string, option: string, value: string, where: Where): ZetaError {
    return new ZetaError('BAD_BOOLEAN', `option "${option}" of [${section}] must be true or false, not ${JSON.stringify(value)}`, {
      ...where, section, option, hint: `write "${option} = true" or "${option} = false".`,
    });
  },
  badBuildoutValue(option: string, value: string, expected: string, where: Where): ZetaError {
    return new ZetaError('BAD_BUILDOUT_OPTION', `option "${option}" of [buildout] must be ${expected}, not ${JSON.stringify(value)}`, {
      ...where, section: 'buildout', option, hint: `zc.buildout refuses this value too; for example "${option} = ${option === 'log-level' ? 'INFO' : '0'}".`,
    });
  },
  installFromCacheOffline(where: Where): ZetaError {
    return new ZetaError('OFFLINE_CONFLICT', 'install-from-cache = true cannot be used in offline mode', {
      ...where, section: 'buildout', option: 'install-from-cache',
      hint: 'as in zc.buildout, offline installs nothing that is not already there, not even from the cache: drop -o (offline = true), or set install-from-cache = false.',
    });
  },
  remoteRelativePath(option: string, value: string, file: string): ZetaError {
    return new ZetaError('REMOTE_RELATIVE_PATH', `"${option} = ${value}" is relative, but it is set in the remote file ${file}, which has no directory of its own`, {
      section: 'buildout', option, hint: `give an absolute path, or set "${option}" in a local file.`,
    });
  },
};

export interface Where {
  location?: SourceLocation;
  section?: string;
  option?: string;
}

/** Errors of the parts engine. */
export const engineErrors = {
  recipeNotFound(part: string, recipe: string, where: Where, suggestion?: string): ZetaError {
    return new ZetaError('RECIPE_NOT_FOUND', `part [${part}] uses recipe "${recipe}", which is neither built in nor an installed npm package`, {
      ...where,
      hint: suggestion ? `did you mean "${suggestion}"?` : `built-in recipes are in recipes/; for a package, run "npm install ${recipe.split(':')[0]}" in the deployment directory and pin it in [versions].`,
    });
  },
  recipeInvalid(part: string, recipe: string, why: string, where: Where): ZetaError {
    return new ZetaError('RECIPE_INVALID', `recipe "${recipe}" of part [${part}] is not a usable recipe: ${why}`, {
      ...where, hint: 'a recipe module exports (as default or by name) an object made with defineRecipe({name, version, install, ...}).',
    });
  },
  partCycle(cycle: string[]): ZetaError {
    return new ZetaError('PART_CYCLE', `parts depend on each other in a circle: ${pathText(cycle, ' -> ')}`, {
      hint: 'a part may not need, through ${part:option} references or "=>", a part that needs it.',
    });
  },
  unknownPart(name: string, suggestion?: string): ZetaError {
    return new ZetaError('UNKNOWN_PART', `there is no part named "${name}"`, {
      hint: suggestion ? `did you mean "${suggestion}"?` : 'parts are the sections named in [buildout] parts (and the sections they reference) that have a recipe.',
    });
  },
  notAPart(name: string, where: Where): ZetaError {
    return new ZetaError('NOT_A_PART', `[buildout] parts names [${name}], which has no "recipe" option`, {
      ...where, hint: `add "recipe = ..." to [${name}], or remove it from parts.`,
    });
  },
  versionConflict(name: string, version: string, pin: string, where: Where): ZetaError {
    return new ZetaError('VERSION_CONFLICT', `${name} ${version} does not satisfy the pin "${name} = ${pin}"`, {
      ...where, hint: `install a version matching ${pin}, or change the pin in [versions].`,
    });
  },
  unpinned(picks: Array<{ name: string; version: string }>, versionsSection: string): ZetaError {
    const lines = picks.map((p) => `${p.name} = ${p.version}`);
    return new ZetaError('UNPINNED', `allow-picked-versions is false, and ${picks.length === 1 ? 'this version is' : 'these versions are'} not pinned`, {
      section: versionsSection, details: [`add to [${versionsSection}]:`, ...lines.map((l) => `    ${l}`)],
      hint: `add ${picks.length === 1 ? 'the line' : 'the lines'} above to your versions file (update-versions-file = versions.cfg does it for you).`,
    });
  },
  stateCorrupt(file: string, why: string): ZetaError {
    return new ZetaError('STATE_CORRUPT', `the installed-state file ${file} cannot be read: ${why}`, {
      hint: `move it aside (mv ${file} ${file}.broken) and run again: every part will be installed afresh.`,
    });
  },
};
