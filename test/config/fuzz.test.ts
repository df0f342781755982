/**
 * Property tests on the parser and resolver: random bytes, and valid configurations mutated by
 * inserting, deleting and swapping characters and lines, must either resolve or fail with a
 * ZetaError (which the CLI prints cleanly, exit 2) - never with any other exception.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Random, randomConfig } from '../helpers/random-config';
import { tempDir } from '../helpers/paths';
import { loadConfig } from '../../src/config/load-config';
import { annotateJson } from '../../src/commands/annotate';
import { ZetaError } from '../../src/errors/zeta-error';
import { parseIni } from '../../src/config/parse-ini';

const ALPHABET = [
  '[',
  ']',
  '=',
  '+',
  '-',
  '<',
  '$',
  '{',
  '}',
  ':',
  '#',
  ';',
  ' ',
  '\t',
  '\n',
  '\r',
  'a',
  'é',
  '\u2028',
  '\x0b',
  '\\',
  "'",
  '(',
  ')',
];

function mutate(text: string, r: Random): string {
  let out = text;
  for (let i = 0, n = 1 + r.int(6); i < n; i++) {
    const at = r.int(out.length + 1);
    switch (r.int(4)) {
      case 0:
        out = out.slice(0, at) + r.pick(ALPHABET) + out.slice(at);
        break;
      case 1:
        out = out.slice(0, at) + out.slice(at + 1 + r.int(5));
        break;
      case 2: {
        const lines = out.split('\n');
        const a = r.int(lines.length),
          b = r.int(lines.length);
        [lines[a], lines[b]] = [lines[b], lines[a]];
        out = lines.join('\n');
        break;
      }
      default:
        out = out.slice(0, at) + '${' + out.slice(at);
        break;
    }
  }
  return out;
}

async function resolveOrCleanError(file: string): Promise<string> {
  try {
    annotateJson(await loadConfig({ file }));
    return 'ok';
  } catch (error) {
    assert.ok(error instanceof ZetaError, `not a clean error: ${(error as Error)?.stack ?? String(error)}`);
    assert.ok(error.message.length > 0 && error.code.length > 0);
    return error.code;
  }
}

test('random bytes never crash the parser', () => {
  const r = new Random(4242);
  for (let i = 0; i < 3000; i++) {
    const length = r.int(200);
    let text = '';
    for (let j = 0; j < length; j++) text += r.chance(0.7) ? r.pick(ALPHABET) : String.fromCharCode(r.int(0x3000));
    const parsed = parseIni(text, '/fuzz.cfg');
    for (const e of parsed.errors) assert.ok(e instanceof ZetaError && e.location && e.location.line >= 1);
  }
});

test('mutated configurations resolve or fail cleanly', async () => {
  const { dir, cleanup } = tempDir();
  const outcomes = new Map<string, number>();
  try {
    const r = new Random(7);
    for (let i = 0; i < 600; i++) {
      const caseDir = path.join(dir, String(i));
      mkdirSync(caseDir);
      for (const [name, text] of randomConfig(1 + r.int(5000)))
        writeFileSync(path.join(caseDir, name), mutate(text, r));
      const outcome = await resolveOrCleanError(path.join(caseDir, 'buildout.cfg'));
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    }
  } finally {
    cleanup();
  }
  // the mutations must reach both outcomes, or the test proves little
  assert.ok((outcomes.get('ok') ?? 0) > 0 && outcomes.size > 3, JSON.stringify([...outcomes]));
});
