/**
 * The documents are a user's: README.md, ARCHITECTURE.md, BENCHMARKS.md, CHANGELOG.md and
 * docs/**\/*.md say nothing about how the work was done (dates of runs, machine loads, sessions,
 * issues, branches, paths outside the repository), and neither do the comments of the code in
 * src/, recipes/, programs/, bench/ and scripts/. Every relative link in the documents resolves,
 * to a file and, with a #fragment, to a heading of it. Each hit is printed as file:line.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';
import { findSessionWords, formatHits, listFiles, SESSION_WORDS, type Hit } from './session-words';
import { commentsOf } from './comments';
import { headingAnchors, isExternal, markdownLinks } from './markdown-links';

const TOP_DOCUMENTS = ['README.md', 'ARCHITECTURE.md', 'BENCHMARKS.md', 'CHANGELOG.md'];
const SOURCE_DIRS = ['src', 'recipes', 'programs', 'bench', 'scripts'];
const SOURCE_EXTENSIONS = ['.ts', '.js', '.mjs', '.cjs', '.py', '.sh', '.yml', '.yaml'];

/**
 * Hits in source comments that are known and left to the code's own owners (the source tree is
 * being reorganised): matched by the comment's text, so a moved file keeps its entry. Remove an
 * entry once its comment is fixed; the test says when one no longer matches anything.
 */
const KNOWN_IN_SOURCE: string[] = [];

function documents(): string[] {
  return [...TOP_DOCUMENTS.filter((f) => existsSync(path.join(ROOT, f))), ...listFiles(ROOT, 'docs', ['.md'])];
}

function read(relative: string): string {
  return readFileSync(path.join(ROOT, relative), 'utf8');
}

test("the patterns catch words about the work and pass the software's own words", () => {
  const flagged = (text: string): string[] => findSessionWords('sample', [{ line: 1, text }]).map((h) => h.name);
  for (const bad of [
    'measured on 2026-11-22',
    'fixed in issue 14',
    'see issue #3',
    'in the last session',
    "that session's starting main",
    'a helper agent',
    'load average 6-10',
    'at load 8',
    'before the merge',
    'new in this branch',
    'a copy in /work/main',
    'built in /tmp/zeta-x',
    'see ../shared/notes/stack.md',
    'stack.md §9',
    'the stack notes',
    'see notes/stack.md',
  ]) {
    assert.notDeepEqual(flagged(bad), [], `not caught: ${bad}`);
  }
  for (const good of [
    'HttpOnly session cookie',
    "the session's CSRF token",
    'Panel sessions live in memory',
    '{"time":"2026-11-22T00:46:46+00:00"}',
    'pm2 home /tmp/zs-0123abcd',
    'see docs/stack.md and docs/notes/x.md',
    'a load loop of 3 workers',
    'extend/merge',
    'the merged data',
    'loaded on first use',
  ]) {
    assert.deepEqual(flagged(good), [], `false positive: ${good}`);
  }
  assert.ok(SESSION_WORDS.length >= 8);
});

test('the documents say nothing about how the work was done', () => {
  const files = documents();
  assert.ok(files.includes('README.md') && files.some((f) => f.startsWith('docs')), 'the documents were found');
  const hits = files.flatMap((file) =>
    findSessionWords(
      file,
      read(file)
        .split('\n')
        .map((text, i) => ({ line: i + 1, text })),
    ),
  );
  assert.equal(hits.length, 0, `words about the work in the documents:\n${formatHits(hits)}`);
});

test("the code's comments say nothing about how the work was done", () => {
  const files = SOURCE_DIRS.flatMap((dir) => listFiles(ROOT, dir, SOURCE_EXTENSIONS));
  assert.ok(files.length > 50, `source files found: ${files.length}`);
  const hits: Hit[] = [];
  for (const file of files) {
    const comments = commentsOf(file, read(file));
    if (comments) hits.push(...findSessionWords(file, comments));
  }
  const known = (hit: Hit): boolean => KNOWN_IN_SOURCE.some((text) => hit.text.includes(text));
  const stale = KNOWN_IN_SOURCE.filter((text) => !hits.some((hit) => hit.text.includes(text)));
  if (stale.length) console.log(`known hits no longer found (remove them from KNOWN_IN_SOURCE): ${stale.join('; ')}`);
  if (hits.some(known)) console.log(`known hits left to the code's owners:\n${formatHits(hits.filter(known))}`);
  const unknown = hits.filter((hit) => !known(hit));
  assert.equal(unknown.length, 0, `words about the work in code comments:\n${formatHits(unknown)}`);
});

test('every relative link in the documents resolves, to a heading too', () => {
  const broken: string[] = [];
  let checked = 0;
  for (const file of documents()) {
    for (const { line, target } of markdownLinks(read(file))) {
      if (isExternal(target)) continue;
      checked++;
      const [pathPart, fragment] = target.split('#', 2);
      const resolved = pathPart ? path.join(path.dirname(file), decodeURI(pathPart)) : file;
      const problem = linkProblem(resolved, fragment);
      if (problem) broken.push(`${file}:${line}: ${target}: ${problem}`);
    }
  }
  assert.ok(checked > 20, `relative links checked: ${checked}`);
  assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
});

/** Why a link to `relative` (from the repository's root) and `fragment` does not resolve, if it does not. */
function linkProblem(relative: string, fragment: string | undefined): string | undefined {
  if (relative.startsWith('..')) return 'leaves the repository';
  const full = path.join(ROOT, relative);
  if (!existsSync(full)) return `${relative} does not exist`;
  if (!fragment) return undefined;
  if (statSync(full).isDirectory() || !relative.endsWith('.md')) return `#${fragment} on a file that has no headings`;
  return headingAnchors(read(relative)).has(fragment) ? undefined : `${relative} has no heading #${fragment}`;
}
