/** "Did you mean": the edit distance (a swap of two letters is one edit) and the nearest known name. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { editDistance, nearest } from './suggest';

test('edit distance: insertions, deletions, substitutions and adjacent swaps cost one each', () => {
  assert.equal(editDistance('', ''), 0);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('port', 'port'), 0);
  assert.equal(editDistance('port', 'ports'), 1);
  assert.equal(editDistance('varnish', 'varnsh'), 1);
  assert.equal(editDistance('mode', 'mdoe'), 1, 'a swap is one edit, not two');
  assert.equal(editDistance('kitten', 'sitting'), 3);
  assert.equal(editDistance('ab', 'ba'), editDistance('ba', 'ab'));
});

test('nearest: the closest name within a third of the length, ignoring case, else nothing', () => {
  assert.equal(nearest('varnsh', ['nginx', 'varnish', 'haproxy']), 'varnish');
  assert.equal(nearest('MODE', ['mode', 'output']), 'mode');
  assert.equal(nearest('pgae', ['pages', 'page']), 'page', 'one swap is nearer than a swap and an insertion');
  assert.equal(nearest('cat', ['bat', 'hat']), 'bat', 'of equally near names, the first');
  assert.equal(nearest('xyz', ['nginx', 'varnish']), undefined, 'too far');
  assert.equal(nearest('ab', ['ba']), 'ba', 'short names allow one edit');
  assert.equal(nearest('a', ['abcd']), undefined, 'lengths too different');
  assert.equal(nearest('anything', []), undefined);
  assert.equal(nearest('http-adress', ['http-address', 'https-address']), 'http-address');
});
