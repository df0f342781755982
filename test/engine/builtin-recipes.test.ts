/**
 * The built-in recipe registry (src/engine/builtin-recipes.ts) lists exactly the recipes in
 * recipes/, each loads as a recipe of its own name, and the content hash used for change
 * detection (src/util/content-hash.ts) is stable and tells contents apart.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { BUILTIN_RECIPES } from '../../src/engine/builtin-recipes';
import { contentHash } from '../../src/util/content-hash';

const RECIPES = path.resolve(__dirname, '..', '..', '..', 'recipes');

test('the registry names every recipe in recipes/ and nothing else', () => {
  const files = readdirSync(RECIPES).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort();
  assert.deepEqual(Object.keys(BUILTIN_RECIPES).sort(), files);
});

test('each registered recipe loads and carries its own name', () => {
  for (const [name, load] of Object.entries(BUILTIN_RECIPES)) {
    const module = load() as { default?: { name?: string; install?: unknown } };
    assert.equal(typeof module.default?.install, 'function', name);
    assert.equal(module.default?.name, name);
  }
});

test('contentHash: 16 hex digits, stable, different for different contents', () => {
  const seen = new Set<string>();
  const texts = ['', 'a', 'b', 'ab', 'ba', 'listen 127.0.0.1:8000\n', 'listen 127.0.0.1:8001\n', 'x'.repeat(100_000), `${'x'.repeat(99_999)}y`];
  for (const text of texts) {
    const hash = contentHash(text);
    assert.match(hash, /^[0-9a-f]{16}$/);
    assert.equal(contentHash(text), hash);
    seen.add(hash);
  }
  assert.equal(seen.size, texts.length);
  // bytes hash like the text of the same code units (ASCII), so a file and its text agree
  assert.equal(contentHash(Buffer.from('listen 127.0.0.1:8000\n')), contentHash('listen 127.0.0.1:8000\n'));
  // no collision among many near-identical lines (what generated configs look like)
  const lines = new Set(Array.from({ length: 20_000 }, (_, i) => contentHash(`server 127.0.0.1:${i}\n`)));
  assert.equal(lines.size, 20_000);
});
