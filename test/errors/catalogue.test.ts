/**
 * The catalogue of error codes (src/errors/catalogue/) is the only place codes are made: no
 * source outside src/errors/ constructs a ZetaError or passes a code to an error-making call;
 * every entry has an exit status, a meaning and a hint; every code is made by a factory and every
 * factory is called; docs/errors.md is the catalogue's. Read from the sources, like the
 * dependency rule.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';
import { AREAS, catalogue, EXIT, STATUS_MEANINGS } from '../../src/errors/catalogue';

const ERRORS = path.join('src', 'errors');
const FACTORIES = path.join(ERRORS, 'factories');
/** A quoted word in capitals; a code when it has an underscore or is one of the catalogue's. */
const WORD = String.raw`['"\`]([A-Z][A-Z0-9_]+)['"\`]`;
const isCodeLike = (word: string): boolean => word.includes('_') || word in catalogue;

interface Source {
  file: string;
  text: string;
}

function sources(dir: string): Source[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.join(dir, entry.name);
    if (entry.isDirectory()) return sources(relative);
    if (!entry.name.endsWith('.ts')) return [];
    return [{ file: relative, text: readFileSync(path.join(ROOT, relative), 'utf8') }];
  });
}

/** Every source a code could be made in, but the catalogue's own folder. */
function outsideErrors(): Source[] {
  return ['src', 'programs', 'recipes'].flatMap(sources).filter((s) => !s.file.startsWith(`${ERRORS}${path.sep}`));
}

/** Where a source makes a code itself: a ZetaError, or a code given to an error or problem. */
function codesMadeIn(source: Source): string[] {
  const rules: Array<[RegExp, (word: string) => string | false]> = [
    [/new ZetaError\(/, () => 'constructs a ZetaError (use a factory of src/errors/factories/)'],
    [
      new RegExp(String.raw`\b\w*(?:[Ee]rror|[Pp]roblem)\w*\s*\(\s*${WORD}`),
      (word) => isCodeLike(word) && `passes the code ${word} to an error`,
    ],
    [new RegExp(String.raw`\bcode\s*:\s*${WORD}`), (word) => isCodeLike(word) && `gives an object the code ${word}`],
    [
      new RegExp(String.raw`\.code\s*[!=]==?\s*${WORD}`),
      (word) => word.includes('_') && !(word in catalogue) && `compares with ${word}, which the catalogue lacks`,
    ],
  ];
  return source.text.split('\n').flatMap((line, index) => {
    // the first rule a line breaks is the one reported
    for (const [pattern, says] of rules) {
      const match = pattern.exec(line);
      const said = match && says(match[1]);
      if (said) return [`${source.file}:${index + 1} ${said}: ${line.trim()}`];
    }
    return [];
  });
}

test('the scanner finds each way of making a code outside the catalogue (a check on the reader itself)', () => {
  const lines = [
    "throw new ZetaError('NOT_RUNNING', 'x');",
    "return makeError('SOME_CODE', message);",
    "found.push({ line, problem: { code: 'BAD_OPTION', message } });",
    "if (error.code === 'NO_SUCH_CODE') return;",
    "if (error.code === 'MISSING_SECTION') return;",
    "if (code !== 'TAR_ENTRY_INFO') warnings.push(code);",
  ];
  const found = codesMadeIn({ file: 'x.ts', text: lines.join('\n') });
  assert.deepEqual(
    found.map((f) => f.split(' ')[0]),
    ['x.ts:1', 'x.ts:2', 'x.ts:3', 'x.ts:4'],
  );
});

test('no source outside src/errors/ makes a code: every error comes from a factory', () => {
  assert.deepEqual(outsideErrors().flatMap(codesMadeIn), []);
});

test('every catalogue entry has an exit status, a meaning and a hint; every code is in one area', () => {
  const statuses = new Set<number>(Object.values(EXIT));
  const wrong = Object.entries(catalogue).flatMap(([code, entry]) => [
    ...(statuses.has(entry.status) ? [] : [`${code}: status ${entry.status} is not one of EXIT`]),
    ...(/^\S.*[^.\s]$/.test(entry.meaning) ? [] : [`${code}: the meaning is empty or ends with a period`]),
    ...(/^\S.*\.$/.test(entry.hint) ? [] : [`${code}: the hint is empty or is not a sentence`]),
  ]);
  assert.deepEqual(wrong, []);
  for (const status of statuses) {
    assert.ok(STATUS_MEANINGS[status as keyof typeof STATUS_MEANINGS], `status ${status} has a meaning`);
  }
  const inAreas = AREAS.flatMap((area) => Object.keys(area.codes));
  assert.equal(inAreas.length, new Set(inAreas).size, 'no code is in two areas');
  assert.deepEqual(inAreas.sort(), Object.keys(catalogue).sort(), 'the areas hold the catalogue');
});

/** The factory objects and functions of src/errors/factories/, with the file each is in. */
function factories(): Array<{ file: string; name: string; methods: string[] }> {
  return readdirSync(path.join(ROOT, FACTORIES))
    .filter((f) => f.endsWith('.ts') && f !== 'text.ts')
    .flatMap((file) => {
      const compiled = path.join(ROOT, 'dist', FACTORIES, file.replace(/\.ts$/, '.js'));
      const exports = require(compiled) as Record<string, unknown>;
      return Object.entries(exports).flatMap(([name, value]) => {
        if (typeof value === 'function') return [{ file, name, methods: [] }];
        if (value && typeof value === 'object') return [{ file, name, methods: Object.keys(value) }];
        return [];
      });
    });
}

test('every code is made by a factory, and every factory is called outside src/errors/ (no dead codes)', () => {
  const making = new RegExp(String.raw`(?:new ZetaError\(\s*|code: )${WORD}`, 'g');
  const made = new Set(sources(FACTORIES).flatMap((s) => [...s.text.matchAll(making)].map((m) => m[1])));
  assert.deepEqual(
    Object.keys(catalogue).filter((code) => !made.has(code)),
    [],
    'codes no factory makes',
  );
  const callers = outsideErrors()
    .map((s) => s.text)
    .join('\n');
  const uncalled = factories().flatMap(({ file, name, methods }) => {
    // the names a factory object is imported under: errors, or errors as configErrors
    const aliases = [name, ...[...callers.matchAll(new RegExp(String.raw`\b${name} as (\w+)`, 'g'))].map((m) => m[1])];
    if (!methods.length) return new RegExp(String.raw`\b${name}\(`).test(callers) ? [] : [`${file}: ${name}`];
    const objects = aliases.join('|');
    const called = (method: string): boolean => new RegExp(String.raw`\b(?:${objects})\.${method}\(`).test(callers);
    return methods.filter((method) => !called(method)).map((method) => `${file}: ${name}.${method}`);
  });
  assert.deepEqual(uncalled, [], 'factories nothing calls');
});

test('docs/errors.md is generated from the catalogue (node scripts/errors-doc.js)', () => {
  const script = path.join(ROOT, 'scripts', 'errors-doc.js');
  const { render, DOC } = require(script) as { render: (catalogue: unknown) => string; DOC: string };
  const expected = render(require(path.join(ROOT, 'dist', ERRORS, 'catalogue', 'index.js')));
  assert.equal(readFileSync(DOC, 'utf8'), expected, 'docs/errors.md is out of date: run node scripts/errors-doc.js');
  for (const code of Object.keys(catalogue)) assert.ok(expected.includes(`| \`${code}\` |`), `${code} is listed`);
});
