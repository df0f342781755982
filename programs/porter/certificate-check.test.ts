/**
 * The certificate checks bin/porter and the recipe share: a key that does not match, an expired
 * certificate, names that do not cover a route (wildcards cover one level), unreadable files.
 * The certificates are made with openssl in a temporary directory.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { checkCertificateFiles } from './certificate-check';
import { selfSignedPair } from './tls';

/** A self-signed pair; expired: notAfter a day before notBefore (`x509 -req -days -1`). */
function makePair(dir: string, stem: string, names: string[], options: { expired?: boolean } = {}) {
  const pair = { certificate: path.join(dir, `${stem}.crt`), key: path.join(dir, `${stem}.key`) };
  const openssl = (args: string[]): void => void execFileSync('openssl', args, { stdio: 'pipe', timeout: 60_000 });
  const subject = ['-subj', `/CN=${names[0]}`, '-addext', `subjectAltName=${names.map((n) => `DNS:${n}`).join(',')}`];
  if (!options.expired) {
    openssl([
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      pair.key,
      '-out',
      pair.certificate,
      ...subject,
    ]);
    return pair;
  }
  const request = path.join(dir, `${stem}.csr`);
  openssl(['req', '-new', '-newkey', 'rsa:2048', '-nodes', '-keyout', pair.key, '-out', request, ...subject]);
  openssl(['x509', '-req', '-in', request, '-signkey', pair.key, '-days', '-1', '-out', pair.certificate]);
  return pair;
}

const read = (file: string): string | undefined => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

test('certificates: key, expiry and names are checked; wildcards cover one level', (t) => {
  const dir = mkdtempSync(path.join(tmpdir(), 'porter-tls-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = makePair(dir, 'a', ['a.test', 'www.a.test']);
  const w = makePair(dir, 'w', ['*.w.test']);
  const old = makePair(dir, 'old', ['old.test'], { expired: true });
  assert.equal(checkCertificateFiles(a, ['a.test', 'www.a.test'], read), undefined);
  assert.equal(checkCertificateFiles(w, ['*.w.test', 'x.w.test'], read), undefined);
  assert.equal(
    checkCertificateFiles({ certificate: a.certificate, key: w.key }, ['a.test'], read)?.code,
    'PORTER_TLS_KEY_MISMATCH',
  );
  assert.equal(checkCertificateFiles(old, ['old.test'], read)?.code, 'PORTER_TLS_EXPIRED');
  assert.match(
    checkCertificateFiles(a, ['a.test', 'b.test'], read)!.message,
    /does not cover b\.test \(it is for DNS:a\.test, DNS:www\.a\.test\)/,
  );
  for (const uncovered of ['w.test', 'x.y.w.test', '*.y.w.test']) {
    assert.equal(checkCertificateFiles(w, [uncovered], read)?.code, 'PORTER_TLS_NAME_MISMATCH', uncovered);
  }
  assert.equal(
    checkCertificateFiles({ ...a, key: path.join(dir, 'none') }, ['a.test'], read)?.code,
    'PORTER_TLS_UNREADABLE',
  );
  assert.equal(checkCertificateFiles({ ...a, certificate: a.key }, ['a.test'], read)?.code, 'PORTER_TLS_UNREADABLE');
  assert.deepEqual(selfSignedPair('/v/tls', '*.w.test'), {
    certificate: '/v/tls/_wildcard.w.test.crt',
    key: '/v/tls/_wildcard.w.test.key',
  });
});
