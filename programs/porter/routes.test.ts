/**
 * The checks every routing value passes before it reaches nginx.conf: domains, addresses,
 * backends and route lines, each refusing what could break out of the generated config.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { checkAddress, checkBackend, checkDomain, parseRouteLine, type Pool } from './routes';

const pools: Pool[] = [{ name: 'app', addresses: [{ host: '127.0.0.1', port: 8081 }], external: true }];

test('domains: normalised, wildcards only in front, no addresses or odd characters', () => {
  assert.equal(checkDomain('WWW.Example.COM.').value, 'www.example.com');
  assert.equal(checkDomain('  a.test ').value, 'a.test');
  assert.equal(checkDomain('*.example.com').value, '*.example.com');
  const longest = `${'a'.repeat(63)}.com`;
  assert.equal(checkDomain(longest).value, longest, 'a 63-character label is the limit');
  const refused = [
    '',
    'a..b',
    'a.*.b',
    'ex ample.com',
    'a;b.com',
    'a_b.com',
    '-a.com',
    'a-.com',
    '10.0.0.1',
    '*.com',
    'x.example.com"',
    `${'a'.repeat(64)}.com`,
    `${'a.'.repeat(127)}com`,
  ];
  for (const bad of refused) {
    const { problem } = checkDomain(bad);
    assert.equal(problem?.code, 'PORTER_BAD_DOMAIN', `${JSON.stringify(bad)} is refused`);
    assert.ok(problem.hint, 'with a hint');
  }
  assert.match(checkDomain('a..b').problem!.message, /empty label/);
  assert.match(checkDomain('10.0.0.1').problem!.message, /looks like an IP address/);
});

test('addresses: ports in range, v6 in brackets, hosts a config can hold, no wildcard listen addresses', () => {
  assert.deepEqual(checkAddress('127.0.0.1:8080').value, { host: '127.0.0.1', port: 8080 });
  assert.deepEqual(checkAddress('[::1]:8080').value, { host: '::1', port: 8080 });
  assert.deepEqual(checkAddress('App1.Internal:80').value, { host: 'app1.internal', port: 80 });
  assert.deepEqual(checkAddress('127.0.0.1:65535').value, { host: '127.0.0.1', port: 65535 });
  for (const port of ['65536', '0', '', '80x', '123456']) {
    assert.equal(checkAddress(`127.0.0.1:${port}`).problem?.code, 'PORTER_BAD_PORT', `port ${JSON.stringify(port)}`);
  }
  for (const bad of ['::1:80', '0.0.0.0:80', '[::]:80', 'a;b:80', 'h"x:80', '$host:80', '*.a.test:80']) {
    assert.equal(checkAddress(bad).problem?.code, 'PORTER_BAD_HOST', bad);
  }
});

test('backends: a pool by name, or an address written back the one way', () => {
  assert.equal(checkBackend('app', pools).value, 'app');
  assert.equal(checkBackend(' [::1]:80 ', pools).value, '[::1]:80');
  assert.equal(checkBackend('Host.Test:81', pools).value, 'host.test:81');
  assert.equal(checkBackend('apps', pools).problem?.code, 'PORTER_UNKNOWN_POOL');
  assert.match(checkBackend('apps', pools).problem!.hint!, /the pools are: app/);
  assert.match(checkBackend('apps', []).problem!.hint!, /defines no pools/);
});

test('route lines: domains and aliases, backend, kind and site; every problem of a line', () => {
  assert.deepEqual(parseRouteLine('Example.com www.example.com -> app zope Plone', pools).route, {
    domains: ['example.com', 'www.example.com'],
    backend: 'app',
    kind: 'zope',
    site: 'Plone',
  });
  const wildcard = parseRouteLine('*.x.test -> 10.0.0.5:8080', pools).route;
  assert.deepEqual(wildcard, { domains: ['*.x.test'], backend: '10.0.0.5:8080', kind: 'http' });
  assert.equal(parseRouteLine('a.test -> app http Plone', pools).problems[0].code, 'PORTER_BAD_SITE');
  assert.equal(parseRouteLine('a.test -> app zope ../etc', pools).problems[0].code, 'PORTER_BAD_SITE');
  assert.equal(parseRouteLine('a.test -> app zope Plone extra', pools).problems[0].code, 'PORTER_BAD_ROUTE');
  assert.equal(parseRouteLine('bad_x -> nope', pools).problems.length, 2, 'the domain and the backend');
  assert.match(parseRouteLine('a.test app', pools).problems[0].message, /has no "->"/);
  assert.match(parseRouteLine('a.test -> app -> app', pools).problems[0].message, /more than one "->"/);
  assert.match(parseRouteLine(' -> app', pools).problems[0].message, /names no domain/);
});

test('route lines with TLS: cert= and key= together, paths made absolute, https-only; odd paths refused', () => {
  const line = 'a.test -> app zope Plone cert=c/a.crt key=/k/a.key https-only';
  assert.deepEqual(parseRouteLine(line, pools, '/srv/d').route, {
    domains: ['a.test'],
    backend: 'app',
    kind: 'zope',
    site: 'Plone',
    tls: { certificate: '/srv/d/c/a.crt', key: '/k/a.key' },
    httpsOnly: true,
  });
  assert.deepEqual(parseRouteLine('a.test -> app https-only', pools).route, {
    domains: ['a.test'],
    backend: 'app',
    kind: 'http',
    httpsOnly: true,
  });
  assert.match(parseRouteLine('a.test -> app cert=/a.crt', pools).problems[0].message, /cert= without key=/);
  assert.match(parseRouteLine('a.test -> app key=/a.key', pools).problems[0].message, /key= without cert=/);
  assert.match(
    parseRouteLine('a.test -> app cert=/a.crt key=/a.key extra', pools).problems[0].message,
    /unexpected "extra"/,
  );
  for (const bad of ['/a$b.crt', '/a"b.crt', '/a;b.crt', '/a{b.crt', '']) {
    const { problems } = parseRouteLine(`a.test -> app cert=${bad} key=/a.key`, pools);
    assert.equal(problems[0]?.code, 'PORTER_BAD_TLS_PATH', bad);
  }
});
