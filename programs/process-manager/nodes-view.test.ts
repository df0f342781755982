import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { crossNodeView } from './nodes-view';
import type { NodeView } from './peers';

const member = (server: string, status: string, sessions: number) => ({
  program: server,
  server,
  remote: true,
  state: 'REMOTE',
  status,
  sessions,
  cpu: null,
});

const node = (name: string, programs: Array<Record<string, unknown>>, pools: unknown[] = [], up = true): NodeView => ({
  name,
  url: null,
  up,
  reason: up ? null : 'no answer within 3750 ms',
  programs,
  pools: pools as Array<Record<string, unknown>>,
});

test("a balancer's remote servers: haproxy's view on each node's program, the least loaded ranked across nodes", () => {
  const pool = {
    balancer: 'haproxy',
    backend: 'zope',
    members: [member('app1-instance1', 'UP', 2), member('app2-instance1', 'UP', 0), member('app3-instance1', 'UP', 0)],
    leastLoaded: 'app1-instance1',
  };
  const nodes = crossNodeView([
    node('balancer', [{ name: 'haproxy', state: 'RUNNING', cpu: 1 }], [pool]),
    node('app1', [{ name: 'instance1', state: 'RUNNING', cpu: 5 }]),
    node('app2', [{ name: 'instance1', state: 'RUNNING', cpu: 9 }]),
    node('app3', [], [], false),
  ]);
  assert.deepEqual(nodes[1].programs[0].haproxy, { server: 'app1-instance1', status: 'UP', sessions: 2 });
  assert.deepEqual(nodes[2].programs[0].haproxy, { server: 'app2-instance1', status: 'UP', sessions: 0 });
  // app3 does not answer: its server is never picked, though haproxy still says UP
  assert.equal((nodes[0].pools[0] as any).leastLoaded, 'app2-instance1');
  assert.equal((nodes[0].pools[0] as any).members[1].cpu, 9);
  assert.equal((nodes[0].pools[0] as any).members[2].state, 'UNKNOWN');
});

test('no remote servers: the views are left as they are', () => {
  const views = [node('a', [{ name: 'web', state: 'RUNNING' }])];
  assert.deepEqual(crossNodeView(views), views);
  assert.equal(views[0].programs[0].haproxy, undefined);
});
