/**
 * The sources are formatted by prettier (.prettierrc.json: 120 columns, single quotes): a file
 * that is not fails here, naming it. `npx prettier --write FILE` fixes it.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { ROOT } from '../helpers/paths';

export const FORMATTED = [
  'src/**/*.ts',
  'programs/**/*.ts',
  'recipes/**/*.ts',
  'test/**/*.ts',
  'bench/**/*.ts',
  'scripts/**/*.js',
];

test('every source file is as prettier formats it', () => {
  const prettier = path.join(ROOT, 'node_modules', 'prettier', 'bin', 'prettier.cjs');
  const result = spawnSync(process.execPath, [prettier, '--check', '--log-level', 'warn', ...FORMATTED], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(result.status, 0, `not formatted (run npx prettier --write on them):\n${result.stdout}${result.stderr}`);
});
