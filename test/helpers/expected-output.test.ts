/** The pinned-output helper's own pieces: placeholders (longest path first) and the line diff. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { lineDiff, withPlaceholders } from './expected-output';

test('placeholders replace every occurrence, the longer path first', () => {
  const text = 'cannot open /tmp/x/a.cfg (from /tmp/x/sub/b.cfg), /tmp/x/a.cfg again';
  const out = withPlaceholders(text, { '/tmp/x': '<tmp>', '/tmp/x/sub': '<sub>' });
  assert.equal(out, 'cannot open <tmp>/a.cfg (from <sub>/b.cfg), <tmp>/a.cfg again');
});

test('the line diff marks lines only expected with -, only actual with +, both with a space', () => {
  assert.equal(lineDiff('a\nb\nc', 'a\nc\nd'), '  a\n- b\n  c\n+ d');
  assert.equal(lineDiff('same', 'same'), '  same');
  assert.equal(lineDiff('', 'new'), '+ new\n- ');
});
