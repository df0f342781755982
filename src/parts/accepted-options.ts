/**
 * A recipe's declared options (Recipe.accepts): names, and patterns with `*` for families
 * (`environment-*`). A recipe without a declaration accepts everything: npm recipes written
 * before it existed keep working, unchecked.
 */
import type { Recipe } from '../recipe';

interface Compiled {
  names: Set<string>;
  patterns: RegExp[];
}

const compiled = new WeakMap<Recipe, Compiled>();

function compile(recipe: Recipe, declared: readonly string[]): Compiled {
  let known = compiled.get(recipe);
  if (!known) {
    const names = new Set<string>();
    const patterns: RegExp[] = [];
    for (const entry of declared) {
      if (!entry.includes('*')) names.add(entry);
      else
        patterns.push(
          new RegExp(
            `^${entry
              .split('*')
              .map((piece) => piece.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
              .join('.*')}$`,
          ),
        );
    }
    compiled.set(recipe, (known = { names, patterns }));
  }
  return known;
}

/** Whether the recipe declares the option; undefined when it declares nothing. */
export function accepts(recipe: Recipe, option: string): boolean | undefined {
  if (!recipe.accepts) return undefined;
  const { names, patterns } = compile(recipe, recipe.accepts);
  return names.has(option) || patterns.some((pattern) => pattern.test(option));
}

/** The plain names a recipe declares (what a misspelt option is compared with). */
export function acceptedNames(recipe: Recipe): string[] {
  return recipe.accepts ? [...compile(recipe, recipe.accepts).names] : [];
}
