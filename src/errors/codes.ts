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

/**
 * A word the user typed, quoted for a message: shortened when long (a message stays a
 * paragraph); control characters are made visible by the printer.
 */
export function quoted(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max - 3)}...` : text);
}

/** A name (section, option, file) for a message: shortened when long. */
export function shortName(text: string, max = 80): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
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
    return new ZetaError('PARSE_SYNTAX', `cannot parse this line: ${quoted(text, 120)}`, {
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
    return new ZetaError('CONFIG_NOT_FOUND', `cannot open configuration file ${shortName(file, 120)}`, { location: from, hint });
  },
  configUnreadable(file: string, why: string, from?: SourceLocation): ZetaError {
    return new ZetaError('CONFIG_UNREADABLE', `cannot read configuration file ${shortName(file, 120)}: ${shortName(why, 120)}`, { location: from });
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
    return new ZetaError('BAD_OVERRIDE', `bad command-line assignment ${quoted(argument)}: ${why}`, {
      hint: 'write section:option=value, or option=value for [buildout]; for example "ports:http=8080".',
    });
  },
  /** A warning: the same option assigned twice on the command line. */
  repeatedOverride(section: string, option: string, kept: string): ZetaError {
    return new ZetaError('REPEATED_OVERRIDE', `${shortName(section)}:${shortName(option)} is assigned twice on the command line; as in zc.buildout, the value that sorts last wins: ${quoted(kept)}`, {
      section, option, hint: 'assign each option once; to add lines to a value, use section:option+=value.',
    });
  },
  badBoolean(section: string, option: string, value: string, where: Where): ZetaError {
    return new ZetaError('BAD_BOOLEAN', `option "${option}" of [${section}] must be true or false, not ${quoted(value)}`, {
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
  /** `install NAME` / `plan NAME` for a name that is not a part; `why` says what it is instead. */
  unknownPart(name: string, command: string, parts: string[], suggestion?: string, why?: string): ZetaError {
    const listed = parts.length > 12 ? `${parts.slice(0, 12).join(', ')}, ...` : parts.join(', ');
    return new ZetaError('UNKNOWN_PART', `${command} ${quoted(name)}: there is no part named ${quoted(name)}${why ? ` (${why})` : ''}`, {
      hint: suggestion ? `did you mean "${suggestion}"?` : parts.length ? `the parts are: ${listed}.` : 'this configuration has no parts: [buildout] parts names them.',
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
  /**
   * A recipe's ctx.set on an option the configuration sets, to another value. `accepted` says
   * whether the recipe declares the option (undefined: it declares nothing). Values of options
   * whose name suggests a secret are not shown.
   */
  recipeChangesOption(part: string, recipe: string, option: string, written: string, derived: string, accepted: boolean | undefined, location?: SourceLocation): ZetaError {
    const secret = /pass|secret|key|token|credential/i.test(option);
    const values = secret ? '' : `: the configuration gives ${quoted(written, 120)}, the recipe ${quoted(derived, 120)}`;
    const hint = accepted === false
      ? `"${option}" is an option recipe ${recipe} derives, not one it reads: remove it from [${part}].`
      : accepted === true
        ? `this is a bug in recipe ${recipe}: a recipe may add options but must keep the value you set; report it to the recipe's author.`
        : `if recipe ${recipe} derives "${option}" itself, remove it from [${part}]; otherwise this is a bug in the recipe (it must keep the value you set).`;
    // a secret's line is not shown in a code frame either: only where it is
    const details = secret && location ? [`set at ${displayPath(location.file)}:${location.line} (its value is not shown)`] : [];
    return new ZetaError('RECIPE_CHANGES_OPTION', `recipe ${recipe} would change option "${option}" of [${part}], which the configuration sets${values}`, {
      location: secret ? undefined : location, section: part, option, hint, details,
    });
  },
  /** A warning (an error with allow-unknown-options = false): an option no recipe knows or uses. */
  unknownOption(part: string, recipe: string, option: string, suggestion: string | undefined, from: { location?: SourceLocation; commandLine?: string }): ZetaError {
    const where = from.commandLine ? ` (set on the command line: ${shortName(from.commandLine)})` : '';
    return new ZetaError('UNKNOWN_OPTION', `[${part}] has option ${quoted(option)}${where}, which recipe ${recipe} does not know and nothing refers to`, {
      location: from.location, section: part, option,
      hint: suggestion ? `did you mean "${suggestion}"?` : `remove it, or correct its name: the recipe's documentation lists the options it knows.`,
    });
  },
  /** A warning: a section nothing reads (src/parts/unused-sections.ts), with the nearest used name. */
  unusedSection(name: string, suggestion: string | undefined, location?: SourceLocation): ZetaError {
    return new ZetaError('UNUSED_SECTION', `section [${shortName(name)}] is not used: no part, reference, macro or recipe reads it`, {
      location, section: name,
      hint: suggestion
        ? `did you mean [${suggestion}]? (a misspelt header leaves the section it meant at its defaults)`
        : `remove it, or use it: list it in [buildout] parts, refer to it (\${${shortName(name)}:option}) or copy it ("<= ${shortName(name)}").`,
    });
  },
  stateCorrupt(file: string, why: string): ZetaError {
    return new ZetaError('STATE_CORRUPT', `the installed-state file ${file} cannot be read: ${why}`, {
      hint: `move it aside (mv ${file} ${file}.broken) and run again: every part will be installed afresh.`,
    });
  },
  unreachableDirectory(found: { directory: string; owner: string; group: string; mode: number; users: string[]; needs: string[]; tree: string }): ZetaError {
    const { directory, users } = found;
    const mode = found.mode.toString(8).padStart(4, '0');
    const name = found.tree.split('/').filter(Boolean).pop() ?? 'deployment';
    return new ZetaError('PATH_UNREACHABLE', `${directory} (owner ${found.owner}, group ${found.group}, mode ${mode}) cannot be entered by ${users.length > 1 ? 'the users' : 'the user'} ${users.join(', ')}, which the programs run as`, {
      details: found.needs,
      hint: `the process manager, run as root, starts each program as its user, and it must pass through ${directory}. `
        + `Put the tree where they can enter (git clone or copy it to /srv/${name} and assemble there), `
        + `or let them through: setfacl -m ${users.map((u) => `u:${u}:x`).join(',')} ${directory} (these users only; Debian package acl), or chmod o+x ${directory} (every user).`,
    });
  },
};

/** What a checksum mismatch report needs (src/download/). */
export interface ChecksumMismatch {
  /** "the download of", "local file", "the cached copy of". */
  what: string;
  url: string;
  algorithm: 'sha256' | 'md5';
  expected: string;
  received: string;
  /** The pin's option (sha256, md5sum) and where it is written. */
  where: Where;
  /** Good copies of the URL the download cache keeps (verified before; other pins use them). */
  kept: Array<{ file: string; digest: string; verified?: string }>;
  /** Where a fresh download that did not match was moved. */
  quarantined?: string;
  offline: boolean;
}

/** Errors of the download service. */
export const downloadErrors = {
  checksumMismatch(m: ChecksumMismatch): ZetaError {
    const option = m.where.option ?? m.algorithm;
    const pinnedBefore = m.kept.some((copy) => copy.digest === m.received);
    const details = [`expected: ${m.expected} (${option})`, `received: ${m.received}`];
    for (const copy of m.kept) {
      details.push(`kept in the download cache: ${copy.file} (${m.algorithm} ${copy.digest}${copy.verified ? `, verified ${copy.verified}` : ', never verified'}); deployments that pin it still use it`);
    }
    if (m.quarantined) details.push(`this download was moved aside to: ${m.quarantined}`);
    const hint = m.offline
      ? `the download cache holds only other contents of this URL: correct ${option}, or run once without -o (offline) to fetch the file ${option} names.`
      : pinnedBefore
        ? `the file at this URL is the one the download cache verified before, so the pin is the likely mistake: if you trust the file, write ${option} = ${m.received}; otherwise check the URL.`
        : `if the new file is the one you want, pin the received checksum (${option} = ${m.received}); otherwise check the URL.`;
    return new ZetaError('CHECKSUM_MISMATCH', `${m.what} ${m.url} does not match its ${m.algorithm} checksum`, { ...m.where, option, details, hint });
  },
  cachedFileCorrupt(url: string, moved: Array<{ file: string; why: string }>, where: Where): ZetaError {
    return new ZetaError('CACHED_FILE_CORRUPT', `offline mode: the download cache's copy of ${url} is corrupt, and there is no other`, {
      ...where, details: moved.map((m) => `moved aside to ${m.file}: ${m.why}`),
      hint: 'run once without -o (offline) to fetch it again; the moved file is kept for inspection and can be deleted.',
    });
  },
};

/** Shell words as a user would type them again: quoted only where the shell needs it. */
function commandLine(words: string[]): string {
  return words.map((w) => {
    if (/^[-A-Za-z0-9_./:=+,@%^]+$/.test(w)) return w;
    // bash's $'...' keeps a newline or control character visible on the one line
    if (/[\x00-\x1f\x7f]/.test(w)) return `$'${w.replace(/[\\']/g, '\\$&').replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)}'`;
    return `'${w.replace(/'/g, "'\\''")}'`;
  }).join(' ');
}

/** Errors of bin/assemble's own arguments. */
export const cliErrors = {
  misplacedAssignment(assignments: string[], command: string, corrected: string[]): ZetaError {
    const shown = assignments.map((a) => quoted(a)).join(', ');
    const it = assignments.length === 1 ? 'it' : 'they';
    return new ZetaError('MISPLACED_ASSIGNMENT', `${shown} ${assignments.length === 1 ? 'comes' : 'come'} after the command "${command}": assignments go before the command, or ${it} would be read as ${command === 'annotate' ? 'section names' : command === 'query' ? 'what to query' : 'part names'}`, {
      hint: `put ${it === 'it' ? 'it' : 'them'} before the command: bin/assemble ${commandLine(corrected.map((word) => shortName(word, 120)))}`,
    });
  },
};
