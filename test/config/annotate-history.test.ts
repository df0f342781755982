/**
 * annotate's history of a value: where it was set, the `<=` copy that brought it into the section
 * (for a value taken over unchanged as for one changed after the copy), `+=`, overrides.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/paths';
import { assemble } from '../helpers/run';

test('annotate shows the macro copy of each value, unchanged or changed after it', () => {
  const temp = tempDir();
  try {
    writeFileSync(
      path.join(temp.dir, 'buildout.cfg'),
      [
        '[buildout]',
        'parts =',
        '[a]',
        'x = 1',
        'y = ${:x}',
        '[b]',
        '<= a',
        '[c]',
        '<= b',
        'z = 2',
        '[d]',
        '<= c',
        'x += 3',
        '',
      ].join('\n'),
    );
    const r = assemble(['annotate', 'd'], { cwd: temp.dir });
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.split('\n').map((line) => line.replace(/\s+/g, ' ').trim());
    const block = (option: string): string[] => {
      const at = lines.findIndex((line) => line.startsWith(`${option} =`));
      const end = lines.findIndex((line, i) => i > at && /^[a-z]+ =/.test(line));
      return lines.slice(at, end < 0 ? undefined : end);
    };
    assert.deepEqual(block('x'), [
      'x = 1',
      '3',
      'set buildout.cfg:4',
      'copied from [c], buildout.cfg:4',
      '+= buildout.cfg:13 3',
    ]);
    assert.deepEqual(block('y').slice(-2), ['set buildout.cfg:5', 'copied from [c], buildout.cfg:5']);
    assert.deepEqual(block('z').filter(Boolean), ['z = 2', 'set buildout.cfg:10', 'copied from [c], buildout.cfg:10']);
  } finally {
    temp.cleanup();
  }
});
