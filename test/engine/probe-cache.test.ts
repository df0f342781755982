/**
 * The probe cache (src/parts/probe-cache.ts): an answer is reused while its files are unchanged,
 * asked again when one changes, and only what this run asked for is saved, so answers nothing
 * asks for any more do not pile up in the installed state.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ProbeCache } from '../../src/parts/probe-cache';
import { tempDir } from '../helpers/paths';

test('an answer is kept while its file is unchanged and asked again when it changes', () => {
  const temp = tempDir('zeta-probe-cache-');
  try {
    const binary = path.join(temp.dir, 'daemon');
    writeFileSync(binary, 'version 1\n');
    let runs = 0;
    const ask = (cache: ProbeCache): string => cache.get('version daemon', [binary], () => `answer ${++runs}`);
    const first = new ProbeCache();
    assert.equal(ask(first), 'answer 1');
    assert.equal(first.dirty, true);
    const second = new ProbeCache(first.toJSON());
    assert.equal(ask(second), 'answer 1', 'from the saved entry');
    assert.equal(second.dirty, false, 'nothing to save');
    writeFileSync(binary, 'version 2, a longer file\n');
    const third = new ProbeCache(second.toJSON());
    assert.equal(ask(third), 'answer 2');
    assert.equal(third.dirty, true);
  } finally {
    temp.cleanup();
  }
});

test('only the entries this run asked for are saved; dropping one is a change to save', () => {
  const saved = {
    'version old-binary': { fingerprint: 'missing', value: 'old' },
    'version kept': { fingerprint: 'missing', value: 'kept' },
  };
  const cache = new ProbeCache(saved);
  assert.equal(
    cache.get('version kept', ['/nonexistent/kept'], () => 'asked again'),
    'kept',
  );
  assert.deepEqual(Object.keys(cache.toJSON()), ['version kept']);
  assert.equal(cache.dirty, true, 'the state drops the old entry');
  const next = new ProbeCache(cache.toJSON());
  next.get('version kept', ['/nonexistent/kept'], () => 'asked again');
  assert.equal(next.dirty, false, 'the next run asks the same: nothing to save');
});
