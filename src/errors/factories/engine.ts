/**
 * Errors of the parts engine: recipes and their options, sections nothing uses, the part graph,
 * version pins, the installed state and where the tree lives.
 */
import { ZetaError, type SourceLocation } from '../zeta-error';
import { displayPath } from '../../util/paths';
import { pathText, quoted, shortName, type Where } from './text';

export const engineErrors = {
  recipeNotFound(part: string, recipe: string, where: Where, suggestion?: string): ZetaError {
    const message = `part [${part}] uses recipe "${recipe}", which is neither built in nor an installed npm package`;
    return new ZetaError('RECIPE_NOT_FOUND', message, {
      ...where,
      hint: suggestion
        ? `did you mean "${suggestion}"?`
        : `built-in recipes are in recipes/; for a package, run "npm install ${recipe.split(':')[0]}" ` +
          'in the deployment directory and pin it in [versions].',
    });
  },
  recipeInvalid(part: string, recipe: string, why: string, where: Where): ZetaError {
    return new ZetaError('RECIPE_INVALID', `recipe "${recipe}" of part [${part}] is not a usable recipe: ${why}`, {
      ...where,
      hint:
        'a recipe module exports (as default or by name) an object made with ' +
        'defineRecipe({name, version, install, ...}).',
    });
  },
  /**
   * Parts that need each other in a circle: found by the part graph, or (`via`) while resolving
   * a ${part:option} reference of one of them.
   */
  partCycle(cycle: string[], via?: { ref: string; where: Where }): ZetaError {
    const hint = via
      ? `${via.ref} needs [${cycle[1] ?? cycle[0]}] ready first, and it in turn needs this part; ` +
        'break one link of the circle.'
      : 'a part may not need, through ${part:option} references or "=>", a part that needs it.';
    const message = `parts depend on each other in a circle: ${pathText(cycle, ' -> ')}`;
    return new ZetaError('PART_CYCLE', message, { ...via?.where, hint });
  },
  /** `install NAME` / `plan NAME` for a name that is not a part; `why` says what it is instead. */
  unknownPart(name: string, command: string, parts: string[], suggestion?: string, why?: string): ZetaError {
    const listed = parts.length > 12 ? `${parts.slice(0, 12).join(', ')}, ...` : parts.join(', ');
    const message = `${command} ${quoted(name)}: there is no part named ${quoted(name)}${why ? ` (${why})` : ''}`;
    const others = parts.length
      ? `the parts are: ${listed}.`
      : 'this configuration has no parts: [buildout] parts names them.';
    return new ZetaError('UNKNOWN_PART', message, { hint: suggestion ? `did you mean "${suggestion}"?` : others });
  },
  notAPart(name: string, where: Where): ZetaError {
    return new ZetaError('NOT_A_PART', `[buildout] parts names [${name}], which has no "recipe" option`, {
      ...where,
      hint: `add "recipe = ..." to [${name}], or remove it from parts.`,
    });
  },
  versionConflict(name: string, version: string, pin: string, where: Where): ZetaError {
    return new ZetaError('VERSION_CONFLICT', `${name} ${version} does not satisfy the pin "${name} = ${pin}"`, {
      ...where,
      hint: `install a version matching ${pin}, or change the pin in [versions].`,
    });
  },
  unpinned(picks: Array<{ name: string; version: string }>, versionsSection: string): ZetaError {
    const lines = picks.map((p) => `${p.name} = ${p.version}`);
    const one = picks.length === 1;
    const message = `allow-picked-versions is false, and ${one ? 'this version is' : 'these versions are'} not pinned`;
    return new ZetaError('UNPINNED', message, {
      section: versionsSection,
      details: [`add to [${versionsSection}]:`, ...lines.map((l) => `    ${l}`)],
      hint:
        `add ${one ? 'the line' : 'the lines'} above to your versions file ` +
        '(update-versions-file = versions.cfg does it for you).',
    });
  },
  /** An option's value a recipe refuses (ctx.error), located at the option. */
  badOption(section: string, option: string, message: string, hint?: string, location?: SourceLocation): ZetaError {
    return new ZetaError('BAD_OPTION', message, { section, option, location, hint });
  },
  /** What a recipe throws that is not a ZetaError, with its part and recipe. */
  recipeFailed(part: string, recipe: string, message: string, cause: unknown): ZetaError {
    return new ZetaError('RECIPE_FAILED', `recipe ${recipe} failed for part [${part}]: ${message}`, {
      section: part,
      cause,
    });
  },
  /** ctx.warn: a warning about the part. */
  recipeWarning(part: string, message: string): ZetaError {
    return new ZetaError('RECIPE_WARNING', message, { section: part });
  },
  /**
   * A recipe's ctx.set on an option the configuration sets, to another value. `accepted` says
   * whether the recipe declares the option (undefined: it declares nothing). Values of options
   * whose name suggests a secret are not shown.
   */
  recipeChangesOption(
    part: string,
    recipe: string,
    option: string,
    written: string,
    derived: string,
    accepted: boolean | undefined,
    location?: SourceLocation,
  ): ZetaError {
    const secret = /pass|secret|key|token|credential/i.test(option);
    const values = secret
      ? ''
      : `: the configuration gives ${quoted(written, 120)}, the recipe ${quoted(derived, 120)}`;
    const hint =
      accepted === false
        ? `"${option}" is an option recipe ${recipe} derives, not one it reads: remove it from [${part}].`
        : accepted === true
          ? `this is a bug in recipe ${recipe}: a recipe may add options but must keep the value you set; ` +
            "report it to the recipe's author."
          : `if recipe ${recipe} derives "${option}" itself, remove it from [${part}]; ` +
            'otherwise this is a bug in the recipe (it must keep the value you set).';
    // a secret's line is not shown in a code frame either: only where it is
    const details =
      secret && location ? [`set at ${displayPath(location.file)}:${location.line} (its value is not shown)`] : [];
    const message =
      `recipe ${recipe} would change option "${option}" of [${part}], ` + `which the configuration sets${values}`;
    return new ZetaError('RECIPE_CHANGES_OPTION', message, {
      location: secret ? undefined : location,
      section: part,
      option,
      hint,
      details,
    });
  },
  /** A warning (an error with allow-unknown-options = false): an option no recipe knows or uses. */
  unknownOption(
    part: string,
    recipe: string,
    option: string,
    suggestion: string | undefined,
    from: { location?: SourceLocation; commandLine?: string },
  ): ZetaError {
    const where = from.commandLine ? ` (set on the command line: ${shortName(from.commandLine)})` : '';
    const message =
      `[${part}] has option ${quoted(option)}${where}, ` + `which recipe ${recipe} does not know and nothing refers to`;
    return new ZetaError('UNKNOWN_OPTION', message, {
      location: from.location,
      section: part,
      option,
      hint: suggestion
        ? `did you mean "${suggestion}"?`
        : "remove it, or correct its name: the recipe's documentation lists the options it knows.",
    });
  },
  /** A warning: a section nothing reads (src/parts/unused-sections.ts), with the nearest used name. */
  unusedSection(name: string, suggestion: string | undefined, location?: SourceLocation): ZetaError {
    const short = shortName(name);
    const message = `section [${short}] is not used: no part, reference, macro or recipe reads it`;
    return new ZetaError('UNUSED_SECTION', message, {
      location,
      section: name,
      hint: suggestion
        ? `did you mean [${suggestion}]? (a misspelt header leaves the section it meant at its defaults)`
        : `remove it, or use it: list it in [buildout] parts, refer to it (\${${short}:option}) ` +
          `or copy it ("<= ${short}").`,
    });
  },
  stateCorrupt(file: string, why: string): ZetaError {
    return new ZetaError('STATE_CORRUPT', `the installed-state file ${file} cannot be read: ${why}`, {
      hint: `move it aside (mv ${file} ${file}.broken) and run again: every part will be installed afresh.`,
    });
  },
  unreachableDirectory(found: {
    directory: string;
    owner: string;
    group: string;
    mode: number;
    users: string[];
    needs: string[];
    tree: string;
  }): ZetaError {
    const { directory, users } = found;
    const mode = found.mode.toString(8).padStart(4, '0');
    const name = found.tree.split('/').filter(Boolean).pop() ?? 'deployment';
    const message =
      `${directory} (owner ${found.owner}, group ${found.group}, mode ${mode}) cannot be entered by ` +
      `${users.length > 1 ? 'the users' : 'the user'} ${users.join(', ')}, which the programs run as`;
    const acl = users.map((u) => `u:${u}:x`).join(',');
    return new ZetaError('PATH_UNREACHABLE', message, {
      details: found.needs,
      hint:
        `the process manager, run as root, starts each program as its user, and it must pass through ${directory}. ` +
        `Put the tree where they can enter (git clone or copy it to /srv/${name} and assemble there), ` +
        `or let them through: setfacl -m ${acl} ${directory} (these users only; Debian package acl), ` +
        `or chmod o+x ${directory} (every user).`,
    });
  },
};
