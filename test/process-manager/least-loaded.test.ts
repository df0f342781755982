/**
 * The least-loaded query against a real haproxy (the haproxy recipe, Debian's binary) in front of
 * two real servers under the process manager: one holds every request open (but its health check), the other answers at
 * once, so haproxy's current sessions tell them apart; status --json and the panel's
 * /api/status name the one with fewer.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { freePorts } from '../helpers/ports';
import { NODE, ROOT_FIXTURES, serverLine, supervisorPart, withSupervised } from '../helpers/supervisor';
import { login, rawRequest } from '../helpers/supervisor-panel';
import { waitFor } from '../helpers/wait';

/** A server that reads requests and never answers them. */
const HOLDER = path.join(ROOT_FIXTURES, 'programs', 'holder.js');

test(
  'status --json and /api/status name the pool instance with the fewest haproxy sessions',
  { timeout: 120_000 },
  async () => {
    const [panel, front, stats, busy, idle] = await freePorts(5);
    const sockets: net.Socket[] = [];
    await withSupervised(
      `[buildout]
parts = haproxy supervisor
[haproxy]
recipe = haproxy
bind = 127.0.0.1:${front}
backends =
    busy 127.0.0.1:${busy}
    idle 127.0.0.1:${idle}
stats = 127.0.0.1:${stats}
stats-user = admin
stats-password = a-long-secret
inter = 200ms
check-path = /health
# the servers are the supervisor's programs lines, which the assembly check does not see
check-upstream = false
${supervisorPart(panel)}programs =
    10 busy (listen=127.0.0.1:${busy}) ${NODE} [${HOLDER} ${busy}]
    ${serverLine(10, 'idle', idle)}
`,
      async (d) => {
        d.assembleOrFail();
        d.startOrFail();
        const pool = (): any => d.status().pools.find((p: any) => p.balancer === 'haproxy');
        await waitFor(() => pool()?.members.every((m: any) => m.status === 'UP'), {
          what: 'haproxy to see both servers UP',
          timeoutMs: 30_000,
          intervalMs: 250,
          detail: () => JSON.stringify(pool()),
        });
        // leastconn sends a request to the idle server whenever it holds fewer sessions, and the idle
        // one answers at once: so requests go out one at a time (at most 20) until the busy one holds one
        const send = (): void => {
          const socket = net.connect(front, '127.0.0.1');
          socket.on('error', () => {});
          socket.write(`GET /${sockets.length} HTTP/1.1\r\nhost: x\r\n\r\n`);
          sockets.push(socket);
        };
        const loaded = await waitFor(
          () => {
            const p = pool();
            const member = (name: string): any => p.members.find((m: any) => m.program === name);
            if (member('busy').sessions >= 1 && member('idle').sessions === 0) return p;
            if (member('busy').sessions === 0 && sockets.length < 20) send();
            return false;
          },
          { what: 'busy to hold a session', timeoutMs: 20_000, intervalMs: 200, detail: () => JSON.stringify(pool()) },
        );
        assert.equal(loaded.backend, 'zope');
        assert.equal(loaded.leastLoaded, 'idle');
        assert.equal(loaded.error, undefined);
        const session = await login(panel, 'admin', 'secret');
        const status = JSON.parse(
          (await rawRequest(panel, '/api/status', { headers: { cookie: session.cookie! } })).body,
        );
        assert.equal(status.pools[0].leastLoaded, 'idle');
        // the idle one stopped: never picked
        assert.equal(d.ctl(['stop', 'idle']).status, 0);
        const after = await waitFor(() => pool().leastLoaded === 'busy' && pool(), {
          what: 'busy picked once idle is stopped',
          timeoutMs: 20_000,
          intervalMs: 200,
          detail: () => JSON.stringify(pool()),
        });
        assert.equal(after.members.find((m: any) => m.program === 'idle').state, 'STOPPED');
      },
    );
    for (const socket of sockets) socket.destroy();
  },
);
