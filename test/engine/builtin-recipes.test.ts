/**
 * The built-in recipe registry (src/parts/builtin-recipes.ts) lists exactly the recipes in
 * recipes/, and each loads as a recipe of its own name and declares the options its code asks for.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_RECIPES } from '../../src/parts/builtin-recipes';
import { accepts } from '../../src/parts/accepted-options';
import type { Recipe } from '../../src/recipe';

const RECIPES = path.resolve(__dirname, '..', '..', '..', 'recipes');

test('the registry names every recipe folder in recipes/ (one with an index.ts) and nothing else', () => {
  const folders = readdirSync(RECIPES)
    .filter((f) => existsSync(path.join(RECIPES, f, 'index.ts')))
    .sort();
  assert.deepEqual(Object.keys(BUILTIN_RECIPES).sort(), folders);
});

test('each registered recipe loads and carries its own name', () => {
  for (const [name, load] of Object.entries(BUILTIN_RECIPES)) {
    const module = load() as { default?: { name?: string; install?: unknown } };
    assert.equal(typeof module.default?.install, 'function', name);
    assert.equal(module.default?.name, name);
  }
});

/** The source of a recipe and of every module of its folder and recipes/shared it imports, transitively. */
function sourceClosure(file: string, seen = new Map<string, string>()): Map<string, string> {
  if (seen.has(file)) return seen;
  const text = readFileSync(file, 'utf8');
  seen.set(file, text);
  for (const [, relative] of text.matchAll(/from '(\.\.?\/[^']+)'/g)) {
    if (relative.includes('/src/') || relative.includes('/programs/')) continue;
    const next = `${path.resolve(path.dirname(file), relative)}.ts`;
    if (existsSync(next)) sourceClosure(next, seen);
  }
  return seen;
}

test('each built-in recipe declares every option its code asks for by name (or derives it)', () => {
  // ctx.options.get('x'), ctx.error('x', ...), and helpers that take the option: parseAddress(ctx, 'bind', ...)
  const missing: Record<string, Set<string>> = {};
  const asked =
    /ctx\.options\.(?:get|has|required|bool|int|lines|words)\('([^']+)'|ctx\.error\('([^']+)'|\(ctx, '([a-z][a-z0-9_-]*)'/g;
  for (const [name, load] of Object.entries(BUILTIN_RECIPES)) {
    const recipe = (load() as { default: Recipe }).default;
    assert.ok(recipe.accepts?.length, `${name} declares its options`);
    const sources = [...sourceClosure(path.join(RECIPES, name, 'index.ts')).values()].join('\n');
    // derived: set by name, or listed in the recipe's header (nginx sets its paths in a loop)
    const header = /\* Derived: ([^]*?)\.\n/.exec(sources)?.[1] ?? '';
    const derived = new Set(
      [...sources.matchAll(/ctx\.set\('([^']+)'/g), ...header.matchAll(/`([^`]+)`/g)].map((m) => m[1]),
    );
    for (const match of sources.matchAll(asked)) {
      const option = match[1] ?? match[2] ?? match[3];
      if (option !== 'recipe' && !accepts(recipe, option) && !derived.has(option))
        (missing[name] ??= new Set()).add(option);
    }
  }
  assert.deepEqual(
    Object.fromEntries(Object.entries(missing).map(([name, options]) => [name, [...options]])),
    {},
    'options the recipes ask for without declaring them',
  );
});
