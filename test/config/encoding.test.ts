/**
 * Configuration files are UTF-8: a file that is not is an error at its first bad byte (as
 * zc.buildout, which fails with UnicodeDecodeError), located in the file, with exit status 2.
 * The bad byte found is Python's: random byte strings are checked against its decoder.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { Random } from '../helpers/random-config';
import { referenceAvailable, tempDir } from '../helpers/paths';
import { assemble } from '../helpers/run';
import { firstInvalidByte } from '../../src/config/decode-text';

test('a Latin-1 byte in the root file: exit 2, the file, line, column and byte offset, a hint', () => {
  const temp = tempDir();
  try {
    const file = path.join(temp.dir, 'buildout.cfg');
    writeFileSync(
      file,
      Buffer.concat([
        Buffer.from('[buildout]\r\nparts =\r\n[a]\r\nx = na'),
        Buffer.from([0xef, 0x76]),
        Buffer.from('e\r\n'),
      ]),
    );
    const r = assemble(['-c', file, 'annotate'], { cwd: temp.dir });
    assert.equal(r.status, 2, r.stderr);
    assert.match(
      r.stderr,
      /error\[CONFIG_NOT_UTF8\]: configuration file .*buildout\.cfg is not valid UTF-8: byte 0xef at byte offset 32 \(line 4, column 7\)/,
    );
    assert.match(r.stderr, /buildout\.cfg:4:7/);
    assert.match(r.stderr, /hint: configuration files are UTF-8/);
    assert.doesNotMatch(r.stderr, /internal error|at .*\.js:/);
  } finally {
    temp.cleanup();
  }
});

test('valid UTF-8, a real U+FFFD and a BOM included, is read as it is', () => {
  const temp = tempDir();
  try {
    const file = path.join(temp.dir, 'buildout.cfg');
    writeFileSync(file, '\ufeff[buildout]\nparts =\n[a]\nx = \ufffd caf\u00e9 \u{1F600}\n');
    const r = assemble(['-c', file, 'annotate', '--json', 'a'], { cwd: temp.dir });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(JSON.parse(r.stdout).sections.a.x, '\ufffd caf\u00e9 \u{1F600}');
  } finally {
    temp.cleanup();
  }
});

test(
  "the first bad byte is the one Python's UTF-8 decoder reports, on random byte strings",
  { skip: !referenceAvailable() && 'no /usr/bin/python3' },
  () => {
    const r = new Random(99);
    const samples: number[][] = [];
    const interesting = [
      0x00, 0x0a, 0x41, 0x7f, 0x80, 0xbf, 0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff, 0x9f, 0xa0,
      0x8f, 0x90,
    ];
    for (let i = 0; i < 2000; i++) {
      const bytes: number[] = [];
      // mostly valid characters of every length, with a stray byte in about half the strings
      for (let j = 0, n = 1 + r.int(8); j < n; j++) {
        const scale = [0x80, 0x800, 0x10000, 0x110000][r.int(4)];
        let cp = r.int(scale);
        if (cp >= 0xd800 && cp <= 0xdfff) cp = 0x41;
        bytes.push(...Buffer.from(String.fromCodePoint(cp)));
      }
      if (r.chance(0.5))
        bytes.splice(r.int(bytes.length + 1), r.int(2), r.chance(0.6) ? r.pick(interesting) : r.int(256));
      samples.push(bytes);
    }
    const script =
      'import json,sys\nout=[]\nfor s in json.load(sys.stdin):\n  try:\n    bytes(s).decode("utf-8"); ' +
      'out.append(-1)\n  except UnicodeDecodeError as e:\n    out.append(e.start)\nprint(json.dumps(out))';
    const py = spawnSync('/usr/bin/python3', ['-c', script], { input: JSON.stringify(samples), encoding: 'utf8' });
    assert.equal(py.status, 0, py.stderr);
    const expected = JSON.parse(py.stdout) as number[];
    const differences = samples
      .map((s, i) => ({ s, ours: firstInvalidByte(Uint8Array.from(s)), python: expected[i] }))
      .filter((d) => d.ours !== d.python);
    assert.deepEqual(differences.slice(0, 5), []);
    assert.ok(
      expected.filter((e) => e >= 0).length > 500 && expected.filter((e) => e < 0).length > 100,
      'the samples reach both outcomes',
    );
  },
);
