/** The content hash change detection uses: its form, its stability, and that it tells contents apart. */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { contentHash } from './content-hash';

test('contentHash: 16 hex digits, stable, different for different contents', () => {
  const seen = new Set<string>();
  const texts = ['', 'a', 'b', 'ab', 'ba', 'listen 127.0.0.1:8000\n', 'listen 127.0.0.1:8001\n'];
  texts.push('x'.repeat(100_000), `${'x'.repeat(99_999)}y`);
  for (const text of texts) {
    const hash = contentHash(text);
    assert.match(hash, /^[0-9a-f]{16}$/);
    assert.equal(contentHash(text), hash);
    seen.add(hash);
  }
  assert.equal(seen.size, texts.length);
  // bytes hash like the text of the same code units (ASCII), so a file and its text agree
  assert.equal(contentHash(Buffer.from('listen 127.0.0.1:8000\n')), contentHash('listen 127.0.0.1:8000\n'));
  // no collision among many near-identical lines (what generated configs look like)
  const lines = new Set(Array.from({ length: 20_000 }, (_, i) => contentHash(`server 127.0.0.1:${i}\n`)));
  assert.equal(lines.size, 20_000);
});
