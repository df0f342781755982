/**
 * Built-in recipes' options phases against a made-up machine (test/helpers/options-context.ts):
 * every binary, probe, user and file they look at goes through the context, so the test lists
 * exactly what each asked, answers it, and gets back the typed value install will receive.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import memcached from '../../recipes/memcached';
import template from '../../recipes/template';
import { contentHash, type Account } from '../../src/recipe';
import { fakeOptionsContext } from '../helpers/options-context';

const NOBODY: Account = { name: 'nobody', uid: 65534, gid: 65534, group: 'nogroup' };

test('memcached asks for its binary, version and user, and hands install the run directory and the user', () => {
  const { ctx, recorded } = fakeOptionsContext(
    'cache',
    { bind: '127.0.0.1:11300', user: 'www-data nobody' },
    {
      executables: ['/opt/bin/memcached'],
      probes: { '/opt/bin/memcached -V': { stdout: 'memcached 1.6.21\n' } },
      accounts: [NOBODY],
    },
  );
  const prepared = memcached.options!(ctx);
  assert.deepEqual(recorded.asked, [
    'which memcached',
    'stat /opt/bin/memcached',
    'probe /opt/bin/memcached -V',
    'account www-data',
    'account nobody',
  ]);
  assert.deepEqual(prepared, { runDirectory: '/srv/tree/var/cache', user: NOBODY });
  assert.deepEqual(recorded.picks, [['memcached', '1.6.21']]);
  const [program] = recorded.programs;
  assert.deepEqual(program.command.slice(0, 5), ['/opt/bin/memcached', '-l', '127.0.0.1', '-p', '11300']);
  assert.deepEqual(program.command.slice(-2), ['-u', 'nobody'], 'the first user of the list that exists');
  assert.equal(recorded.set.get('address'), '127.0.0.1:11300');
});

test('memcached on a machine without it: an error naming the Debian package, after one look-up', () => {
  const { ctx, recorded } = fakeOptionsContext('cache', {});
  assert.throws(
    () => memcached.options!(ctx),
    (error: Error & { hint?: string }) =>
      /needs memcached, which is not installed/.test(error.message) &&
      /apt-get install memcached/.test(error.hint ?? ''),
  );
  assert.deepEqual(recorded.asked, ['which memcached']);
});

test('template reads its input through the context and returns the rendered text, mode and output', () => {
  const options = { input: 'in/site.conf.in', output: 'out/site.conf', port: '8080' };
  const { ctx, recorded } = fakeOptionsContext(
    'conf',
    options,
    {
      files: { '/srv/tree/in/site.conf.in': { text: 'listen ${hosts:public}:{{port}}\n', mode: 0o640 } },
    },
    { hosts: { public: 'www.example.com' } },
  );
  const prepared = template.options!(ctx);
  assert.deepEqual(recorded.asked, ['readInput /srv/tree/in/site.conf.in']);
  assert.deepEqual(prepared, { text: 'listen www.example.com:8080\n', mode: 0o640, output: '/srv/tree/out/site.conf' });
  assert.equal(recorded.set.get('content-hash'), contentHash('listen www.example.com:8080\n'));
});

test('template with an input the machine does not have: an error at the option', () => {
  const { ctx } = fakeOptionsContext('conf', { input: 'missing.in', output: 'out' });
  assert.throws(() => template.options!(ctx), /template file \/srv\/tree\/missing\.in does not exist/);
});
