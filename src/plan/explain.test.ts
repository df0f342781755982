import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { changedWords, explainLines } from './explain';

test('explained values are compared key by key: changed, added, removed', () => {
  assert.deepEqual(explainLines({ a: '1', b: '2', c: '3' }, { a: '1', b: '20', d: '4' }), [
    'b: 2 -> 20',
    'd: added: 4',
    'c: removed (was 3)',
  ]);
  assert.deepEqual(explainLines({ a: '1' }, { a: '1' }), []);
});

test("a long value's change is the words that differ, with a word of context", () => {
  const long = (size: string): string =>
    [
      '/usr/sbin/varnishd -F -j none -n /srv/site/var/varnish',
      `-f /srv/site/etc/varnish.vcl -a 127.0.0.1:6081 -s ${size} -P /srv/site/var/varnish/varnishd.pid`,
    ].join(' ');
  const expected = '... -s malloc,128M -P ... -> ... -s malloc,256M -P ...';
  assert.equal(changedWords(long('malloc,128M'), long('malloc,256M')), expected);
  assert.equal(changedWords('a b', 'a c'), 'a b -> a c');
});
