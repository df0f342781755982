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
