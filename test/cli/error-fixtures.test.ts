/**
 * Every error fixture pins the whole error as bin/assemble prints it: stderr with NO_COLOR (the
 * fixture's temporary directory shown as <tmp>, the repository as <repo>) must equal the case's
 * expected-error.txt, and the exit status the case's error.exit. The configuration language's
 * cases (test/fixtures/config/<case>/ with an error in case.json) run `bin/assemble annotate`,
 * which resolves every section; the engine's (test/fixtures/errors/<case>/) run case.json's
 * command. A failed run leaves the directory as it found it.
 *
 * On a mismatch the output is written beside the fixture as actual-error.txt (git-ignored) and
 * the test fails with a line diff. ZETA_UPDATE_FIXTURES=1 rewrites every expected-error.txt
 * instead (npm test -- error-fixtures); read each one it changed before committing it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { configCases } from '../helpers/config-cases';
import { matchExpected, withPlaceholders } from '../helpers/expected-output';
import { copyFixture, FIXTURES, ROOT } from '../helpers/paths';
import { assemble } from '../helpers/run';

interface ErrorCase {
  name: string;
  /** The fixture directory, relative to test/fixtures. */
  dir: string;
  /** bin/assemble's arguments. */
  argv: string[];
  code: string;
  exit: number;
}

function engineCases(): ErrorCase[] {
  const root = path.join(FIXTURES, 'errors');
  return readdirSync(root)
    .sort()
    .map((name) => {
      const meta = JSON.parse(readFileSync(path.join(root, name, 'case.json'), 'utf8'));
      const { command, error } = meta as { command: string[]; error: { code: string; exit: number } };
      return { name: `errors/${name}`, dir: path.join('errors', name), argv: command, ...error };
    });
}

function configErrorCases(): ErrorCase[] {
  return configCases()
    .filter((c) => c.error)
    .map((c) => ({
      name: `config/${c.name}`,
      dir: c.dir,
      argv: [...c.args, 'annotate'],
      code: c.error!.code,
      exit: c.error!.exit ?? NaN,
    }));
}

/** Every path under dir, with its size: a failed run must not change it. */
function listing(dir: string, prefix = ''): string[] {
  return readdirSync(path.join(dir, prefix), { withFileTypes: true })
    .flatMap((entry) => {
      const relative = path.join(prefix, entry.name);
      return entry.isDirectory() ? [`${relative}/`, ...listing(dir, relative)] : [relative];
    })
    .sort();
}

for (const c of [...configErrorCases(), ...engineCases()]) {
  test(`the printed error of ${c.name}`, () => {
    const copy = copyFixture(c.dir);
    try {
      const before = listing(copy.dir);
      const result = assemble(c.argv, { cwd: copy.dir });
      const stderr = withPlaceholders(result.stderr, { [copy.dir]: '<tmp>', [ROOT]: '<repo>' });
      assert.ok(stderr.startsWith(`error[${c.code}]: `), `expected error ${c.code} first, got:\n${stderr}`);
      matchExpected(path.join(FIXTURES, c.dir), 'expected-error.txt', stderr);
      const caseFile = path.join('test', 'fixtures', c.dir, 'case.json');
      assert.equal(result.status, c.exit, `exit status (error.exit in ${caseFile})`);
      assert.equal(result.stdout, '', 'nothing on stdout');
      assert.deepEqual(listing(copy.dir), before, 'the failed run changed the directory');
    } finally {
      copy.cleanup();
    }
  });
}

test('every error fixture has an expected-error.txt, and no other fixture has one', () => {
  const withError = new Set([...configErrorCases(), ...engineCases()].map((c) => c.dir));
  const configDirs = readdirSync(path.join(FIXTURES, 'config')).map((name) => path.join('config', name));
  const holders = [...configDirs, ...engineCases().map((c) => c.dir)].filter((dir) =>
    existsSync(path.join(FIXTURES, dir, 'expected-error.txt')),
  );
  assert.deepEqual(holders.sort(), [...withError].sort());
});
