/**
 * The runtime plan, one case per action: start (new), stop (removed, drained first), reload and
 * how, restart and why (secrets masked), rolling restart behind a balancer, untouched, the cost
 * of a restart, the order (servers before clients), and the plan of a stack that is not running.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Program } from './config';
import { planRuntime, runtimeReport, type RunningProgram } from './runtime-plan';

function program(name: string, extra: Partial<Program> = {}): Program {
  return {
    name,
    type: 'program',
    command: [`/bin/${name}`],
    priority: 10,
    listen: [],
    ready: { kind: 'none' },
    readyTimeoutMs: 1000,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 1000,
    wrapper: `/p/${name}.sh`,
    outLog: `/l/${name}.log`,
    errLog: `/l/${name}.err.log`,
    ...extra,
  };
}

const instance = (n: number, extra: Partial<Program> = {}): Program =>
  program(`instance${n}`, {
    type: 'zope',
    command: ['/bin/runwsgi', `/etc/instance${n}.ini`],
    listen: [{ host: '127.0.0.1', port: 8000 + n }],
    ...extra,
  });

const haproxy = (servers: number[], extra: Partial<Program> = {}): Program =>
  program('haproxy', {
    type: 'haproxy',
    priority: 20,
    reload: { signal: 'SIGUSR2' },
    configFiles: ['/etc/haproxy.conf'],
    upstream: servers.map((n) => ({ host: '127.0.0.1', port: 8000 + n })),
    balancer: {
      socket: '/var/haproxy.sock',
      backend: 'zope',
      servers: servers.map((n) => ({ name: `instance${n}`, host: '127.0.0.1', port: 8000 + n })),
    },
    ...extra,
  });

const running = (spec: Program, configHash = 'h'): RunningProgram => ({
  name: spec.name,
  spec,
  configHash,
  desired: 'running',
  alive: true,
});
const hashes = (programs: Program[], changed: Record<string, string> = {}): Record<string, string> =>
  Object.fromEntries(programs.map((p) => [p.name, changed[p.name] ?? 'h']));

function plan(now: Program[], next: Program[], changed: Record<string, string> = {}) {
  return planRuntime({ running: true, programs: now.map((p) => running(p)) }, next, hashes(next, changed));
}

const action = (p: ReturnType<typeof plan>, name: string) => p.changes.find((c) => c.program === name);

test('nothing changed: every program untouched', () => {
  const now = [instance(1), instance(2), haproxy([1, 2])];
  const result = plan(now, now);
  assert.deepEqual(
    result.changes.map((c) => c.action),
    ['untouched', 'untouched', 'untouched'],
  );
});

test('a setting left unset is the same as one absent: the started spec went through JSON, the next did not', () => {
  // supervisor.json (and the spec recorded at start) drops an undefined user; the configuration's
  // program, as plan reads it before writing the file, keeps the key
  const started = JSON.parse(JSON.stringify(program('web', { user: undefined }))) as Program;
  const result = plan([started], [program('web', { user: undefined })]);
  assert.deepEqual(
    result.changes.map((c) => [c.program, c.action]),
    [['web', 'untouched']],
  );
});

test('a new program starts, a removed one behind the balancer is drained and stopped first', () => {
  const now = [instance(1), instance(2), haproxy([1, 2])];
  const next = [instance(1), instance(3), haproxy([1, 3])];
  const result = plan(now, next, { haproxy: 'h2' });
  assert.equal(result.changes[0].program, 'instance2');
  assert.equal(result.changes[0].action, 'stop');
  assert.deepEqual(result.changes[0].drain, {
    balancer: 'haproxy',
    socket: '/var/haproxy.sock',
    backend: 'zope',
    server: 'instance2',
    others: 1,
  });
  assert.equal(action(result, 'instance3')?.action, 'start');
  assert.deepEqual(action(result, 'instance3')?.why, ['it is new']);
  // the upstream list is configuration, not identity: haproxy reloads
  assert.equal(action(result, 'haproxy')?.action, 'reload');
  assert.match(action(result, 'haproxy')!.how!, /SIGUSR2/);
  // the new instance is up before haproxy is told about it
  const order = result.changes.map((c) => c.program);
  assert.ok(order.indexOf('instance3') < order.indexOf('haproxy'));
});

test('a configuration file change reloads a daemon that can, restarts one that cannot', () => {
  const nginx = program('nginx', { type: 'nginx', reload: { signal: 'SIGHUP' }, configFiles: ['/etc/nginx.conf'] });
  const memcached = program('memcached', {
    configFiles: ['/etc/memcached.conf'],
    listen: [{ host: '127.0.0.1', port: 11211 }],
  });
  const result = plan([nginx, memcached], [nginx, memcached], { nginx: 'h2', memcached: 'h2' });
  assert.equal(action(result, 'nginx')?.action, 'reload');
  assert.match(action(result, 'nginx')!.how!, /nginx reload: SIGHUP/);
  assert.equal(action(result, 'memcached')?.action, 'restart');
  assert.deepEqual(action(result, 'memcached')?.why, [
    'its configuration changed (/etc/memcached.conf) and it cannot reload',
  ]);
  assert.equal(action(result, 'memcached')?.cost, 'connections to it fail while it restarts');
});

test('varnish: a VCL change is a VCL reload; a storage change restarts it and says the cache is emptied', () => {
  const varnish = (storage: string): Program =>
    program('varnish', {
      type: 'varnish',
      command: ['/usr/sbin/varnishd', '-F', '-s', storage, '-P', '/v.pid'],
      reload: { command: ['/usr/share/varnish/varnishreload', '-n', '/v', '/etc/v.vcl'] },
      configFiles: ['/etc/v.vcl'],
    });
  const vcl = plan([varnish('malloc,128M')], [varnish('malloc,128M')], { varnish: 'h2' });
  assert.equal(vcl.changes[0].action, 'reload');
  assert.match(vcl.changes[0].how!, /^VCL reload: .*varnishreload.*vcl\.load, vcl\.use/);
  const storage = plan([varnish('malloc,128M')], [varnish('malloc,256M')]);
  assert.equal(storage.changes[0].action, 'restart');
  assert.deepEqual(storage.changes[0].why, ['its command line changed: -s malloc,128M -> -s malloc,256M']);
  assert.equal(storage.changes[0].cost, 'varnish restart empties its malloc cache');
});

test('an instance setting restarts the instances one at a time behind the balancer', () => {
  const now = [instance(1), instance(2), haproxy([1, 2])];
  const next = [
    instance(1, { command: ['/bin/runwsgi', '/etc/instance1.ini', '--threads=4'] }),
    instance(2, { command: ['/bin/runwsgi', '/etc/instance2.ini', '--threads=4'] }),
    haproxy([1, 2]),
  ];
  const result = plan(now, next);
  for (const name of ['instance1', 'instance2']) {
    assert.equal(action(result, name)?.action, 'rolling-restart');
    assert.match(action(result, name)!.how!, new RegExp(`drained through haproxy \\(zope/${name}\\)`));
    assert.deepEqual(action(result, name)?.why, [
      `its command line changed: /etc/${name}.ini -> /etc/${name}.ini --threads=4`,
    ]);
  }
  assert.equal(action(result, 'haproxy')?.action, 'untouched');
});

test('the only server of a backend restarts plainly, and the plan says requests get the fallback', () => {
  const result = plan([instance(1), haproxy([1])], [instance(1, { user: 'zope' }), haproxy([1])]);
  assert.equal(action(result, 'instance1')?.action, 'restart');
  assert.deepEqual(action(result, 'instance1')?.why, ['its user changed: (unset) -> "zope"']);
  assert.match(action(result, 'instance1')!.cost!, /only server of haproxy's backend zope/);
});

test('a database password: the server restarts first, then its clients; the password is never shown', () => {
  const db = (password: string): Program =>
    program('mysql', { type: 'mariadb', priority: 0, environment: { DB_PASSWORD: password, LANG: 'C' } });
  const client = (n: number, password: string): Program => instance(n, { environment: { ZODB_PASSWORD: password } });
  const now = [db('old-secret'), client(1, 'old-secret'), client(2, 'old-secret'), haproxy([1, 2])];
  const next = [db('new-secret'), client(1, 'new-secret'), client(2, 'new-secret'), haproxy([1, 2])];
  const result = plan(now, next);
  assert.deepEqual(
    result.changes.map((c) => `${c.program} ${c.action}`),
    ['mysql restart', 'instance1 rolling-restart', 'instance2 rolling-restart', 'haproxy untouched'],
  );
  assert.equal(result.changes[0].cost, 'mysql restart drops connections');
  const text = JSON.stringify(runtimeReport(result));
  assert.doesNotMatch(text, /old-secret|new-secret/);
  assert.match(text, /its environment variable DB_PASSWORD changed \(a secret: its values are not shown\)/);
});

test('a visible environment change is shown old -> new; settings outside the identity restart nothing', () => {
  const result = plan(
    [program('app', { environment: { LANG: 'C' } })],
    [
      program('app', {
        environment: { LANG: 'C.UTF-8' },
        readyTimeoutMs: 5000,
        priority: 5,
        upstream: [{ host: '127.0.0.1', port: 1 }],
      }),
    ],
  );
  assert.deepEqual(result.changes[0].why, ['its environment variable LANG changed: "C" -> "C.UTF-8"']);
  const quiet = plan([program('app')], [program('app', { readyTimeoutMs: 5000, priority: 5 })]);
  assert.equal(quiet.changes[0].action, 'untouched');
});

test('a program the operator stopped, or one that died, stays as it is', () => {
  const stopped: RunningProgram = { ...running(program('app')), desired: 'stopped' };
  const result = planRuntime({ running: true, programs: [stopped] }, [program('app', { user: 'x' })], { app: 'h' });
  assert.equal(result.changes[0].action, 'untouched');
});

test('not running: what bin/supervisord will start, by priority; autostart off is left stopped', () => {
  const result = planRuntime(
    { running: false, programs: [] },
    [haproxy([1]), instance(1), program('job', { autostart: false })],
    {},
  );
  assert.equal(result.running, false);
  assert.deepEqual(
    result.changes.map((c) => `${c.program} ${c.action}`),
    ['instance1 start', 'job untouched', 'haproxy start'],
  );
  assert.equal(result.changes[0].how, 'bin/supervisord starts it (priority 10)');
});

test("the report has the contract's fields only", () => {
  const result = runtimeReport(
    plan([instance(1), instance(2), haproxy([1, 2])], [instance(1), haproxy([1])], { haproxy: 'h2' }),
  );
  assert.deepEqual(Object.keys(result.changes[0]).sort(), ['action', 'how', 'program', 'why']);
});

test("a balancer started before its spec named its runtime API drains with the next spec's", () => {
  const { balancer: _none, ...old } = haproxy([1, 2]);
  const now = [instance(1), instance(2), old as Program];
  const next = [instance(1, { user: 'zope' }), instance(2), haproxy([1, 2])];
  assert.equal(action(plan(now, next), 'instance1')?.action, 'rolling-restart');
});
