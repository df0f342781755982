/**
 * What the recipe contract (src/recipe.ts) promises about recipes, read from their sources:
 * - no module-level state: what a part's options phase works out reaches its install as the
 *   value options() returns, never through a Map, Set or `let` beside the recipe (which would
 *   outlive the run and mix parts up when two runs share a process);
 * - no child process of their own: programs run through ctx.exec (install: argv only, stopped
 *   with the run) or ctx.probe (options: once, cached), never through node:child_process;
 * - the machine's users and environment only through the context (ctx.account, ctx.environment),
 *   so a test can see, and answer, what a recipe asks.
 * Top-level statements are the unindented lines, as every file here is formatted.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Every line of recipes/ matching `pattern`, as `file:line: text`. */
function lines(pattern: RegExp): string[] {
  return sources(path.join(ROOT, 'recipes')).flatMap((file) => {
    const shown = path.relative(ROOT, file);
    const numbered = readFileSync(file, 'utf8')
      .split('\n')
      .map((text, index) => ({ text, line: index + 1 }));
    return numbered
      .filter(({ text }) => pattern.test(text))
      .map(({ text, line }) => `${shown}:${line}: ${text.trim()}`);
  });
}

const MODULE_STATE = /^(?:export\s+)?(?:let|var)\s|^(?:export\s+)?const\s[^=]*=\s*new\s+(?:Weak)?(?:Map|Set)\b/;
const CHILD_PROCESS = /['"](?:node:)?child_process['"]/;
const OWN_LOOKUPS = /['"`]\/etc\/(?:passwd|group|shadow)\b|\bprocess\.env\b|\bgetent\b/;

test('no recipe module keeps state: no module-level Map, Set or let', () => {
  assert.deepEqual(lines(MODULE_STATE), []);
});

test("no recipe starts a process of its own: node:child_process is the engine's (ctx.exec, ctx.probe)", () => {
  assert.deepEqual(lines(CHILD_PROCESS), []);
});

test('no recipe reads the user database or the environment itself (ctx.account, ctx.environment)', () => {
  assert.deepEqual(lines(OWN_LOOKUPS), []);
});

test('the scans catch what they look for, and only at the top level', () => {
  // a pattern that matched nothing would pass the tests above quietly
  const state = ['const prepared = new Map<string, Prepared>();', 'let cache;', 'export const seen = new Set();'];
  for (const line of state) assert.match(line, MODULE_STATE);
  for (const line of ['  const seen = new Set<string>();', 'const OFF: readonly string[] = [];']) {
    assert.doesNotMatch(line, MODULE_STATE);
  }
  assert.match("const { spawnSync } = require('node:child_process');", CHILD_PROCESS);
  assert.match("import { execFileSync } from 'child_process';", CHILD_PROCESS);
  assert.match("readFileSync('/etc/passwd', 'utf8')", OWN_LOOKUPS);
  assert.match('const path = process.env.PATH;', OWN_LOOKUPS);
});
