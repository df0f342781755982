/**
 * Which options are in use, as `section:option` keys (neither name can hold a ":"): asked for by
 * a recipe (PartOptions), named by a `${section:option}` or `${:option}` in a section that was
 * resolved, or in a template a recipe substituted or rendered. This is zc.buildout's "unused
 * options" notion (an option nobody read), which a recipe's declaration (Recipe.accepts) adds to.
 */
import type { Resolver } from '../config/interpolate';

/** Every `${section:option}` (or `${:option}`, or a template's `${option}`) in a text. */
export function addReferences(text: string, section: string, into: Set<string>, bare = false): void {
  if (!text.includes('${')) return;
  // `$${` is an escape in a value: what follows it is no reference
  for (const piece of bare ? [text] : text.split('$$')) {
    for (const match of piece.matchAll(/\$\{([^}:]*)(?::([^}]*))?\}/g)) {
      const [, first, second] = match;
      if (second === undefined) {
        if (bare) into.add(`${section}:${first}`);
      } else {
        into.add(`${first || section}:${second}`);
      }
    }
  }
}

/** `{{name}}` tags of a mustache template (their first segment: `{{a.b}}` uses `a`). */
export function addTemplateTags(template: string, section: string, into: Set<string>): void {
  if (!template.includes('{{')) return;
  for (const match of template.matchAll(/\{\{[{#^/&]?\s*([^\s}.!>=]+)/g)) into.add(`${section}:${match[1]}`);
}

/** The references written in these initialised sections (macro copies included). */
export function referencedOptions(resolver: Resolver, sections: readonly string[], into: Set<string>): Set<string> {
  for (const name of sections) {
    resolver.stateOf(name)?.raw.forEach((value) => addReferences(value.value, name, into));
  }
  return into;
}
