import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { isSecretName, Masker, MASK } from './secrets';

test('secret names: password, secret, key, token, passphrase as a word of the name', () => {
  const names = [
    'password',
    'stats-password',
    'db_passwd',
    'api-key',
    'secret',
    'auth-token',
    'passphrase',
    'secret-keys',
  ];
  for (const name of names) {
    assert.ok(isSecretName(name), name);
  }
  for (const name of ['keyboard', 'monkey', 'content', 'tokenizer', 'keystone']) assert.ok(!isSecretName(name), name);
});

test('the masker replaces every occurrence, the longer secret first, and leaves other text alone', () => {
  const masker = new Masker(['abc', 'abcdef', '']);
  assert.equal(masker.mask('user:abcdef and abc, not ab'), `user:${MASK} and ${MASK}, not ab`);
  assert.deepEqual(masker.maskRecord({ a: 'x abc', b: 'none' }), { a: `x ${MASK}`, b: 'none' });
  assert.equal(new Masker([]).mask('abc'), 'abc');
});

test('only whole tokens are masked: a secret inside a longer value or a word is left alone', () => {
  const masker = new Masker(['abc']);
  assert.equal(masker.mask('abcdef'), 'abcdef');
  assert.equal(masker.mask('xabc cabca abc_1 1abc'), 'xabc cabca abc_1 1abc');
  assert.equal(
    masker.mask('abc\nauth admin:abc\npassword="abc"; url=mysql://u:abc@db/x abc-2 (abc)'),
    `${MASK}\nauth admin:${MASK}\npassword="${MASK}"; url=mysql://u:${MASK}@db/x ${MASK}-2 (${MASK})`,
  );
  // letters outside ASCII are letters too
  assert.equal(masker.mask('éabc abcé'), 'éabc abcé');
});

test('a secret with punctuation at its edges: the punctuation needs no boundary, its letters do', () => {
  const masker = new Masker(['!pa$$', 'p.w*1']);
  assert.equal(masker.mask('x!pa$$ and !pa$$'), `x${MASK} and ${MASK}`);
  assert.equal(masker.mask('(p.w*1) p.w*12 ap.w*1 pxw*1'), `(${MASK}) p.w*12 ap.w*1 pxw*1`);
});

test('a secret that contains another is masked whole, and the shorter one still alone', () => {
  const masker = new Masker(['abc', 'abc def']);
  assert.equal(masker.mask('[abc def] [abc] [abcd]'), `[${MASK}] [${MASK}] [abcd]`);
});
