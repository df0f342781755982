/**
 * The dependency rule (ARCHITECTURE.md), read from the sources' imports:
 * - src/ is layered: a folder imports only its own layer and the layers below it;
 * - nothing outside src/cli imports src/cli;
 * - recipes import only src/recipe.ts, recipes/shared/, their own folder and programs/<name>/public.ts;
 * - programs import their own folder, other programs' public.ts, src/errors/, src/util/, src/output/,
 *   and the contract's types (import type from src/recipe.ts);
 * - no recipe names a path into dist/ (a program is found through its public.ts).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';

/** src/ from the bottom up; a folder may import any folder of its own layer or a lower one. */
const SRC_LAYERS: string[][] = [
  ['util'],
  ['errors', 'output'],
  ['download'],
  ['config'],
  ['recipe.ts', 'state'],
  ['parts'],
  ['plan'],
  ['execute'],
  ['assemble.ts'],
  ['nodeset'],
  ['commands'],
  ['cli'],
];

interface Import {
  from: string;
  to: string;
  typeOnly: boolean;
  line: number;
}

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** The repository-relative file a relative specifier names (.ts or a folder's index.ts). */
function target(file: string, specifier: string): string {
  const base = path.resolve(path.dirname(file), specifier);
  const found =
    [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => existsSync(candidate)) ?? `${base}.ts`;
  return path.relative(ROOT, found);
}

function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const found: Import[] = [];
  const pattern =
    /(import\s+type\b[^'";]*?from\s*|export\s+type\b[^'";]*?from\s*|(?:from|import|require)\s*\(?\s*)'(\.\.?\/[^']+)'/g;
  for (const match of text.matchAll(pattern)) {
    if (match[2].endsWith('.json')) continue; // package.json, read for the version
    const line = text.slice(0, match.index).split('\n').length;
    found.push({
      from: path.relative(ROOT, file),
      to: target(file, match[2]),
      typeOnly: /^(import|export)\s+type\b/.test(match[1]),
      line,
    });
  }
  return found;
}

function all(root: string): Import[] {
  return sources(path.join(ROOT, root)).flatMap(importsOf);
}

/** The src/ unit of a path: its first folder under src/, or the file (recipe.ts, assemble.ts). */
function srcUnit(file: string): string | undefined {
  const parts = file.split(path.sep);
  return parts[0] === 'src' ? parts[1] : undefined;
}

function layerOf(unit: string): number {
  const layer = SRC_LAYERS.findIndex((units) => units.includes(unit));
  assert.notEqual(
    layer,
    -1,
    `src/${unit} is in no layer of the dependency rule: add it to SRC_LAYERS and ARCHITECTURE.md`,
  );
  return layer;
}

const where = (i: Import): string => `${i.from}:${i.line} imports ${i.to}`;

test('src/ is layered: every import goes to the same layer or one below it, and only src/cli imports src/cli', () => {
  const wrong = all('src').filter((i) => {
    const from = srcUnit(i.from)!;
    const to = srcUnit(i.to);
    if (to === undefined) return !i.to.startsWith(`recipes${path.sep}`);
    return layerOf(to) > layerOf(from) || (to === 'cli' && from !== 'cli');
  });
  assert.deepEqual(wrong.map(where), []);
});

test('src/ reaches the recipes only through the registry of built-in recipes', () => {
  const wrong = all('src').filter(
    (i) => i.to.startsWith(`recipes${path.sep}`) && i.from !== path.join('src', 'parts', 'builtin-recipes.ts'),
  );
  assert.deepEqual(wrong.map(where), []);
});

test('recipes import only the contract, recipes/shared/, their own folder and programs/*/public.ts', () => {
  const wrong = all('recipes').filter((i) => {
    const [, folder] = i.from.split(path.sep);
    const to = i.to.split(path.sep);
    if (i.to === path.join('src', 'recipe.ts')) return false;
    if (to[0] === 'recipes') return !(to[1] === 'shared' || (to[1] === folder && folder !== 'shared'));
    if (to[0] === 'programs') return to.length !== 3 || to[2] !== 'public.ts';
    return true;
  });
  assert.deepEqual(wrong.map(where), []);
});

test(
  "programs import their own folder, other programs' public.ts, src/errors, src/util, src/output and the " +
    "contract's types",
  () => {
    const wrong = all('programs').filter((i) => {
      const [, program] = i.from.split(path.sep);
      const to = i.to.split(path.sep);
      if (to[0] === 'programs') return to[1] !== program && to[2] !== 'public.ts';
      if (to[0] === 'src')
        return i.to === path.join('src', 'recipe.ts') ? !i.typeOnly : !['errors', 'util', 'output'].includes(to[1]);
      return true;
    });
    assert.deepEqual(wrong.map(where), []);
  },
);

test('no recipe names a path into dist/', () => {
  const hits = sources(path.join(ROOT, 'recipes')).flatMap((file) =>
    readFileSync(file, 'utf8')
      .split('\n')
      .flatMap((text, index) =>
        /['"`]dist['"`/]/.test(text) ? [`${path.relative(ROOT, file)}:${index + 1}: ${text.trim()}`] : [],
      ),
  );
  assert.deepEqual(hits, []);
});

test('the rule sees the imports it judges (a check on the reader itself)', () => {
  const own = importsOf(path.join(ROOT, 'recipes', 'supervisor', 'index.ts'));
  assert.ok(own.some((i) => i.to === path.join('src', 'recipe.ts')));
  assert.ok(own.some((i) => i.to === path.join('programs', 'process-manager', 'public.ts')));
  const typeOnly = importsOf(path.join(ROOT, 'programs', 'process-manager', 'format.ts'));
  assert.ok(typeOnly.some((i) => i.to === path.join('src', 'recipe.ts') && i.typeOnly));
});
