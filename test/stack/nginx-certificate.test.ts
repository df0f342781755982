/**
 * nginx's generated certificate survives reinstalls: a change of any other option copies the kept
 * pair into etc/ again (clients that trust it keep trusting it), a change of the names it is for
 * makes a new one, and the key stays readable by its owner only.
 */
import { after, before, test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { exampleDeployment, type ExampleDeployment } from '../helpers/example-deployment';

let stack: ExampleDeployment;

before(async () => {
  stack = await exampleDeployment('zeta-nginx-certificate-');
});

after(() => stack?.cleanup());

function certificate(): { sha: string; x509: X509Certificate; keyMode: number } {
  const text = readFileSync(path.join(stack.dir, 'etc', 'nginx.crt'));
  return {
    sha: createHash('sha256').update(text).digest('hex'),
    x509: new X509Certificate(text),
    keyMode: statSync(path.join(stack.dir, 'etc', 'nginx.key')).mode & 0o777,
  };
}

async function install(...args: string[]): Promise<void> {
  const result = await stack.assemble(...args);
  assert.equal(result.status, 0, `${result.stdout}${result.stderr}`);
}

test('a reinstall for another option keeps the certificate; new names make a new one', async () => {
  await install();
  const first = certificate();
  assert.equal(first.keyMode, 0o600);
  assert.ok(first.x509.checkHost('localhost'));

  await install('nginx:read-timeout=77');
  assert.match(readFileSync(path.join(stack.dir, 'etc', 'nginx.conf'), 'utf8'), /77/, 'nginx was reinstalled');
  const second = certificate();
  assert.equal(second.sha, first.sha, 'the same certificate after an unrelated change');
  assert.equal(second.keyMode, 0o600);

  await install('nginx:read-timeout=77', 'nginx:server-name=shop.example.test');
  const third = certificate();
  assert.notEqual(third.sha, first.sha, 'a new certificate for new names');
  assert.ok(third.x509.checkHost('shop.example.test'));
  assert.equal(third.keyMode, 0o600);
});
