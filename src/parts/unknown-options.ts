/**
 * unknownOptions: an option of a part that its recipe does not declare (Recipe.accepts) and that
 * nobody uses (option-uses.ts) is almost always a typo (`http-adress`), and ignoring it silently
 * deploys the default instead. Each is reported at the line that set it, with the nearest name
 * the recipe knows. Parts whose recipe declares nothing are not checked.
 */
import type { Resolver } from '../config/interpolate';
import { lastOrigin, type Value } from '../config/model';
import { locateOption, locateOptionName } from '../config/locate';
import { accepts, acceptedNames } from './accepted-options';
import { engineErrors, errors } from '../errors/codes';
import { nearest } from '../util/suggest';
import { together, type ZetaError } from '../errors/zeta-error';
import { referencedOptions } from './option-uses';
import type { PartInfo } from './initialize-parts';

/** What any part may carry: buildout's own keys (`<=` and `=>` are `<` and `<part-dependencies>`). */
const EVERY_PART = new Set([
  'recipe',
  '<',
  '<part-dependencies>',
  '_buildout_section_name_',
  '__buildout_signature__',
  '__buildout_installed__',
]);

/**
 * The unknown options, once the sections in `reached` are initialised. The references are scanned
 * only when some option is neither declared nor read by a recipe: a correct configuration (every
 * run's common case) pays one set lookup per option.
 */
export function unknownOptions(
  resolver: Resolver,
  parts: Map<string, PartInfo>,
  used: Set<string>,
  reached: readonly string[],
): ZetaError[] {
  const candidates: Array<{ part: string; info: PartInfo; option: string; value: Value }> = [];
  for (const [part, info] of parts) {
    const { recipe } = info.recipe;
    if (!recipe.accepts) continue;
    resolver.stateOf(part)?.raw.forEach((value, option) => {
      if (!EVERY_PART.has(option) && !accepts(recipe, option) && !used.has(`${part}:${option}`))
        candidates.push({ part, info, option, value });
    });
  }
  if (!candidates.length) return [];
  const referenced = referencedOptions(resolver, reached, new Set(used));
  const found: ZetaError[] = [];
  for (const { part, info, option, value } of candidates) {
    if (referenced.has(`${part}:${option}`)) continue;
    const read = [...used].filter((key) => key.startsWith(`${part}:`)).map((key) => key.slice(part.length + 1));
    const known = [...acceptedNames(info.recipe.recipe), ...read].filter((name) => name !== option);
    const origin = lastOrigin(value);
    found.push(
      engineErrors.unknownOption(part, info.recipe.spec, option, nearest(option, known), {
        location: locateOptionName(value, option),
        commandLine: origin.kind === 'command-line' ? origin.argument : undefined,
      }),
    );
  }
  return found;
}

/** `[buildout] allow-unknown-options` (true unless set false). */
function allowUnknown(resolver: Resolver): boolean {
  const value = resolver.get('buildout', 'allow-unknown-options')?.trim() ?? 'true';
  if (value !== 'true' && value !== 'false') {
    throw errors.badBoolean('buildout', 'allow-unknown-options', value, {
      location: locateOption(resolver.stateOf('buildout')?.raw.get('allow-unknown-options')),
    });
  }
  return value === 'true';
}

/**
 * The options phase is done: report every unknown option (warnings), or fail with all of them
 * at once when the configuration says allow-unknown-options = false.
 */
export function checkUnknownOptions(
  resolver: Resolver,
  parts: Map<string, PartInfo>,
  used: Set<string>,
  warn: (warning: ZetaError) => void,
): void {
  const allowed = allowUnknown(resolver);
  const unknown = unknownOptions(resolver, parts, used, resolver.initialized);
  if (!unknown.length) return;
  if (!allowed)
    throw together(unknown).while("checking the parts' option names ([buildout] allow-unknown-options = false)");
  for (const warning of unknown) warn(warning);
}
