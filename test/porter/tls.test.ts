/**
 * Porter over HTTPS end to end: a real nginx from the program the recipe declares, real backends,
 * certificates made with openssl. Each domain is served its own certificate by SNI (checked with a
 * TLS client), unknown names get the default certificate and the parked page, https-only redirects,
 * HSTS is sent over HTTPS only; bad certificates are refused at assembly and by bin/porter with the
 * table byte-identical; reload-certificates serves renewed files.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { copyFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { getHttps, makePair, presented } from '../helpers/certificates';
import { freePort } from '../helpers/ports';
import { get, porter, porterDeployment, programOf, startBackend, startProgram, type Backend } from '../helpers/porter';
import type { Deployment } from '../helpers/deployment';

function config(http: number, https: number, routes: string): string {
  return `[buildout]
parts = porter
[porter]
recipe = porter
listen = 127.0.0.1:${http}
listen-https = 127.0.0.1:${https}
hsts = 600
workers = 1
routes =
${routes}
`;
}

function table(d: Deployment): string {
  return d.exists('var/porter/porter/routes.json') ? d.read('var/porter/porter/routes.json') : '(none)';
}

test(
  'porter serves each domain its own certificate by SNI, redirects https-only, sends HSTS, refuses bad certificates',
  { timeout: 240_000 },
  async (t) => {
    const backends: Backend[] = [];
    t.after(() => Promise.all(backends.map((b) => b.stop())));
    for (const name of ['alpha', 'beta']) backends.push(await startBackend(name));
    const [alpha, beta] = backends;
    const [http, https] = [await freePort(), await freePort()];
    const d = porterDeployment(
      config(
        http,
        https,
        [
          `    a.test www.a.test -> ${alpha.address} cert=certs/a.crt key=certs/a.key`,
          `    *.w.test -> ${beta.address} cert=certs/w.crt key=certs/w.key https-only`,
          `    s.test -> ${alpha.address}`,
        ].join('\n'),
      ),
    );
    t.after(() => d.cleanup());
    const certs = d.path('certs');
    makePair(certs, 'a', ['a.test', 'www.a.test']);
    makePair(certs, 'w', ['*.w.test']);
    const assembled = d.run();
    assert.equal(assembled.status, 0, assembled.stderr);
    const nginx = await startProgram(programOf(d));
    t.after(() => nginx.stop());

    await t.test('SNI: each domain gets its own certificate, TLS 1.2 and 1.3 only', async () => {
      for (const [name, subject] of [
        ['a.test', 'a.test'],
        ['www.a.test', 'a.test'],
        ['x.w.test', '*.w.test'],
        ['s.test', 's.test'],
      ]) {
        assert.equal((await presented(https, name)).subjectName, subject, name);
      }
      assert.equal((await presented(https, 'a.test')).protocol, 'TLSv1.3');
      assert.equal((await presented(https, 'a.test', { maxVersion: 'TLSv1.2' })).protocol, 'TLSv1.2');
      // the client allows TLS 1.0 and 1.1 (security level 0), so the refusal is the server's alert
      const old = { minVersion: 'TLSv1', maxVersion: 'TLSv1.1', ciphers: 'DEFAULT@SECLEVEL=0' } as const;
      await assert.rejects(presented(https, 'a.test', old), (error: NodeJS.ErrnoException) => {
        assert.equal(error.code, 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION', error.message);
        return true;
      });
      const answer = await getHttps(https, 'a.test', '/page?x=1');
      assert.equal(answer.status, 200, answer.body);
      assert.equal(JSON.parse(answer.body).backend, 'alpha');
    });

    await t.test('an unknown name gets the default certificate and the parked page over HTTPS', async () => {
      assert.equal((await presented(https, 'nosuch.test')).subjectName, 'porter-default.invalid');
      assert.equal((await presented(https, undefined)).subjectName, 'porter-default.invalid');
      const parked = await getHttps(https, 'nosuch.test');
      assert.equal(parked.status, 404);
      assert.match(parked.body, /is not served here/);
    });

    await t.test('the self-signed certificate is made at assembly, its key 0600', () => {
      for (const stem of ['s.test', '_default']) {
        assert.equal(statSync(d.path('var', 'porter', 'porter', 'tls', `${stem}.key`)).mode & 0o777, 0o600, stem);
      }
    });

    await t.test(
      'https-only: plain HTTP gets a 301 to the same URL over HTTPS; other routes still answer HTTP',
      async () => {
        const redirect = await get(http, 'x.w.test', '/p?q=1');
        assert.equal(redirect.status, 301);
        assert.equal(redirect.headers.location, `https://x.w.test:${https}/p?q=1`);
        assert.equal(JSON.parse((await getHttps(https, 'x.w.test', '/p')).body).backend, 'beta');
        assert.equal((await get(http, 'a.test')).json?.backend, 'alpha');
      },
    );

    await t.test('HSTS is sent over HTTPS, and not over plain HTTP', async () => {
      assert.equal((await getHttps(https, 'a.test')).headers['strict-transport-security'], 'max-age=600');
      assert.equal((await get(http, 'a.test')).headers['strict-transport-security'], undefined);
    });

    await t.test(
      'bin/porter add --cert refuses a mismatched key, an expired certificate, uncovered names; the table is unchanged',
      async () => {
        const n = makePair(certs, 'n', ['n.test']);
        const added = await porter(d, 'add', 'n.test', alpha.address, '--cert', n.certificate, '--key', n.key);
        assert.equal(added.status, 0, added.stderr);
        assert.equal((await presented(https, 'n.test')).subjectName, 'n.test');
        const before = table(d);
        const expired = makePair(certs, 'e', ['e.test'], { expired: true });
        const cases: Array<[string[], string, RegExp]> = [
          [
            ['add', 'm.test', alpha.address, '--cert', n.certificate, '--key', path.join(certs, 'a.key')],
            'PORTER_TLS_KEY_MISMATCH',
            /does not belong to the certificate/,
          ],
          [
            ['add', 'e.test', alpha.address, '--cert', expired.certificate, '--key', expired.key],
            'PORTER_TLS_EXPIRED',
            /expired on/,
          ],
          [
            ['add', 'o.test', alpha.address, '--cert', n.certificate, '--key', n.key],
            'PORTER_TLS_NAME_MISMATCH',
            /does not cover o\.test/,
          ],
          [
            [
              'add',
              'x.y.w2.test',
              alpha.address,
              '--alias',
              'deep.x.w.test',
              '--cert',
              path.join(certs, 'w.crt'),
              '--key',
              path.join(certs, 'w.key'),
            ],
            'PORTER_TLS_NAME_MISMATCH',
            /does not cover x\.y\.w2\.test, deep\.x\.w\.test/,
          ],
          [['add', 'q.test', alpha.address, '--cert', n.certificate], 'BAD_USAGE', /--cert and --key go together/],
          [
            ['add', 'q.test', alpha.address, '--cert', path.join(certs, 'none.crt'), '--key', n.key],
            'PORTER_TLS_UNREADABLE',
            /cannot read/,
          ],
        ];
        for (const [args, code, message] of cases) {
          const run = await porter(d, ...args);
          assert.equal(run.status, 2, `${args.join(' ')}: ${run.stderr}`);
          assert.match(run.stderr, new RegExp(`^error\\[${code}\\]: `), args.join(' '));
          assert.match(run.stderr, message);
          assert.match(run.stderr, /\n {2}hint: /);
          assert.equal(table(d), before, `${args.join(' ')} left routes.json byte-identical`);
        }
        const listed = await porter(d, 'list');
        assert.match(listed.stdout, /^n\.test .* \S*certs\/n\.crt +bin\/porter$/m);
        assert.match(listed.stdout, /^\*\.w\.test .*certs\/w\.crt \(https-only\) +config$/m);
        assert.match(listed.stdout, /^s\.test .* self-signed +config$/m);
      },
    );

    await t.test(
      'reload-certificates serves renewed files, and refuses (nothing reloaded) an expired one',
      async () => {
        const old = await presented(https, 'n.test');
        const renewed = makePair(path.join(certs, 'renewed'), 'n', ['n.test']);
        copyFileSync(renewed.certificate, path.join(certs, 'n.crt'));
        copyFileSync(renewed.key, path.join(certs, 'n.key'));
        const reload = await porter(d, 'reload-certificates');
        assert.equal(reload.status, 0, reload.stderr);
        assert.match(reload.stdout, /^checked 5 certificates\nlive after \d+ ms/);
        const now = await presented(https, 'n.test');
        assert.notEqual(now.fingerprint, old.fingerprint, 'the renewed certificate is served');
        const expired = makePair(path.join(certs, 'expired'), 'n', ['n.test'], { expired: true });
        copyFileSync(expired.certificate, path.join(certs, 'n.crt'));
        copyFileSync(expired.key, path.join(certs, 'n.key'));
        const refused = await porter(d, 'reload-certificates');
        assert.equal(refused.status, 2, refused.stderr);
        assert.match(refused.stderr, /^error\[PORTER_TLS_EXPIRED\]: the certificate \S+n\.crt expired/);
        assert.equal(
          (await presented(https, 'n.test')).fingerprint,
          now.fingerprint,
          'still the renewed one: no reload happened',
        );
      },
    );
  },
);

test(
  'assembly refuses a route whose certificate is expired, mismatched or for other names, at its option and line',
  { timeout: 120_000 },
  async (t) => {
    const [http, https] = [await freePort(), await freePort()];
    const d = porterDeployment(
      config(
        http,
        https,
        [
          '    ok.test -> 127.0.0.1:9 cert=certs/ok.crt key=certs/ok.key',
          '    e.test -> 127.0.0.1:9 cert=certs/e.crt key=certs/e.key',
          '    m.test -> 127.0.0.1:9 cert=certs/m.crt key=certs/ok.key',
          '    other.test -> 127.0.0.1:9 cert=certs/ok.crt key=certs/ok.key',
        ].join('\n'),
      ),
    );
    t.after(() => d.cleanup());
    makePair(d.path('certs'), 'ok', ['ok.test']);
    makePair(d.path('certs'), 'e', ['e.test'], { expired: true });
    makePair(d.path('certs'), 'm', ['m.test']);
    const run = d.run();
    assert.equal(run.status, 2, run.stderr);
    assert.match(run.stderr, /3 problems in option routes of \[porter\]:/);
    assert.match(run.stderr, /line 2: the certificate \S+certs\/e\.crt expired on/);
    assert.match(run.stderr, /line 3: the key \S+certs\/ok\.key does not belong to the certificate \S+certs\/m\.crt/);
    assert.match(
      run.stderr,
      /line 4: the certificate \S+certs\/ok\.crt does not cover other\.test \(it is for DNS:ok\.test\)/,
    );
    assert.match(run.stderr, /\[porter\] routes/);
    assert.doesNotMatch(run.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(d.exists('parts/porter/nginx.conf'), false, 'no half-written tree');
  },
);

test('a route with a certificate or https-only needs listen-https', { timeout: 60_000 }, async (t) => {
  const d = porterDeployment(`[buildout]
parts = porter
[porter]
recipe = porter
listen = 127.0.0.1:${await freePort()}
routes =
    a.test -> 127.0.0.1:9 https-only
`);
  t.after(() => d.cleanup());
  const run = d.run();
  assert.equal(run.status, 2, run.stderr);
  assert.match(run.stderr, /route a\.test has a certificate or https-only, but \[porter\] has no listen-https/);
  assert.match(run.stderr, /hint: add listen-https/);
});
