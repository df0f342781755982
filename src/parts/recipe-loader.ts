/**
 * loadRecipe: `recipe = NAME` finds a built-in recipe (recipes/NAME.ts, through builtin-recipes.ts;
 * also under the names buildout users know, e.g. collective.recipe.template); `recipe = package` or
 * `package:entry` loads one from an npm package installed beside the deployment (its
 * node_modules) or beside Zetaserver. The identity recorded in the state (source and version)
 * makes a changed recipe reinstall its parts.
 */
import { readFileSync } from 'node:fs';
import type { Recipe } from '../recipe';
import { installRoot } from '../util/install-root';
import { BUILTIN_RECIPES } from './builtin-recipes';
import { engineErrors, type Where } from '../errors/codes';
import { nearest } from '../util/suggest';

export interface LoadedRecipe {
  /** Its prepared value is opaque to the engine: options() makes it, install and update take it. */
  recipe: Recipe<unknown>;
  /** What the config wrote. */
  spec: string;
  /** `builtin:template` or `npm:package@1.2.3:entry`. */
  identity: string;
  version: string;
  /** For npm recipes: the package, to check against [versions]. */
  package?: { name: string; version: string };
}

/** Buildout recipe names that map onto a built-in recipe. */
export const ALIASES: Record<string, string> = {
  'collective.recipe.template': 'template',
  'hexagonit.recipe.cmmi': 'cmmi',
  'zc.recipe.cmmi': 'cmmi',
  'hexagonit.recipe.download': 'download',
  'plone.recipe.zope2instance': 'zope-instance',
  'collective.recipe.supervisor': 'supervisor',
};

const cache = new Map<string, LoadedRecipe>();
/** Specs found neither built in nor installed, with the suggestion their error makes (parts often share one). */
const notFound = new Map<string, string | undefined>();

function isRecipe(value: unknown): value is Recipe<unknown> {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Recipe<unknown>).install === 'function' &&
    typeof (value as Recipe<unknown>).name === 'string' &&
    typeof (value as Recipe<unknown>).version === 'string'
  );
}

export function builtinNames(): string[] {
  return Object.keys(BUILTIN_RECIPES);
}

function loadBuiltin(name: string, spec: string, part: string, where: Where): LoadedRecipe | undefined {
  const load = Object.hasOwn(BUILTIN_RECIPES, name) ? BUILTIN_RECIPES[name] : undefined;
  if (!load) return undefined;
  const module = load() as { default?: unknown };
  const recipe = module.default ?? module;
  if (!isRecipe(recipe)) throw engineErrors.recipeInvalid(part, spec, 'its module does not export a recipe', where);
  return { recipe, spec, identity: `builtin:${name}`, version: recipe.version };
}

function loadPackage(spec: string, directory: string, part: string, where: Where): LoadedRecipe | undefined {
  const [pkg, entry = 'default'] = spec.split(':');
  const searchPaths = [directory, installRoot()];
  let manifestFile: string;
  try {
    manifestFile = require.resolve(`${pkg}/package.json`, { paths: searchPaths });
  } catch {
    return undefined;
  }
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as { version?: string };
  const main = require.resolve(pkg, { paths: searchPaths });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require(main) as Record<string, unknown>;
  const candidate = entry === 'default' ? (module.default ?? module) : module[entry];
  if (!isRecipe(candidate)) {
    const names = Object.keys(module).filter((k) => isRecipe(module[k]));
    const why =
      entry === 'default'
        ? 'it has no default export that is a recipe'
        : `it has no recipe named "${entry}"${names.length ? ` (it has: ${names.join(', ')})` : ''}`;
    throw engineErrors.recipeInvalid(part, spec, why, where);
  }
  const version = manifest.version ?? '0.0.0';
  return {
    recipe: candidate,
    spec,
    identity: `npm:${pkg}@${version}:${entry}`,
    version: `${version}/${candidate.version}`,
    package: { name: pkg, version },
  };
}

export function loadRecipe(spec: string, directory: string, part: string, where: Where): LoadedRecipe {
  const key = `${directory}\0${spec}`;
  const known = cache.get(key);
  if (known) return known;
  if (notFound.has(key)) throw engineErrors.recipeNotFound(part, spec, where, notFound.get(key));
  const name = ALIASES[spec] ?? spec;
  const loaded =
    (!name.includes(':') && loadBuiltin(name, spec, part, where)) || loadPackage(spec, directory, part, where);
  if (!loaded) {
    notFound.set(key, nearest(spec, [...builtinNames(), ...Object.keys(ALIASES)]));
    throw engineErrors.recipeNotFound(part, spec, where, notFound.get(key));
  }
  cache.set(key, loaded);
  return loaded;
}
