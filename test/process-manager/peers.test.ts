/**
 * Two process managers on loopback that know each other as peers (the supervisor part's
 * `peers` and a shared `agent-token`), and a third "node" that accepts connections and never
 * answers: `status --all-nodes` and the panel's /api/nodes list every node's programs grouped
 * by node, the silent one down with the reason within one sampling interval, and a node whose
 * process manager is shut down is shown down at the next look.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { freePorts } from '../helpers/ports';
import { serverLine, supervisorPart, withSupervised } from '../helpers/supervisor';
import { rawRequest } from '../helpers/supervisor-panel';

const TOKEN = 'shared-agent-token-0123456789abcdef';

test(
  'peers: status --all-nodes and /api/nodes group programs by node; a silent or stopped node is down with the reason within one interval',
  { timeout: 180_000 },
  async () => {
    const [panelA, panelB, silentPort, webA, webB] = await freePorts(5);
    const sockets: net.Socket[] = [];
    const silent = net.createServer((s) => sockets.push(s));
    // listening before the synchronous commands below block this process's event loop
    await new Promise<void>((resolve) => silent.listen(silentPort, '127.0.0.1', resolve));
    const part = (panel: number, node: string, peers: string[]): string =>
      `${supervisorPart(panel)}monitor-interval = 2\nagent-token = ${TOKEN}\nnode = ${node}\npeers =\n${peers.map((p) => `    ${p}\n`).join('')}`;
    try {
      await withSupervised(
        `[buildout]\nparts = supervisor\n${part(panelA, 'node-a', [`node-b=http://127.0.0.1:${panelB}`, `silent=http://127.0.0.1:${silentPort}`])}programs =\n    ${serverLine(10, 'web-a', webA)}\n`,
        async (a) => {
          await withSupervised(
            `[buildout]\nparts = supervisor\n${part(panelB, 'node-b', [`node-a=http://127.0.0.1:${panelA}`])}programs =\n    ${serverLine(10, 'web-b', webB)}\n`,
            async (b) => {
              a.assembleOrFail();
              b.assembleOrFail();
              a.startOrFail();
              b.startOrFail();
              const r = a.ctl(['status', '--all-nodes', '--json']);
              assert.equal(r.status, 0, r.stderr);
              const nodes = JSON.parse(r.stdout).nodes;
              assert.deepEqual(
                nodes.map((n: any) => [n.name, n.up]),
                [
                  ['node-a', true],
                  ['node-b', true],
                  ['silent', false],
                ],
              );
              assert.deepEqual(
                nodes.map((n: any) => n.programs.map((p: any) => `${p.name} ${p.state}`)),
                [['web-a RUNNING'], ['web-b RUNNING'], []],
              );
              assert.match(nodes[2].reason, /no answer within 1500 ms/);
              const text = a.ctl(['status', '--all-nodes']).stdout;
              assert.match(text, /^== node-a \(this node\)\nNAME .*\nweb-a +RUNNING/m);
              assert.match(
                text,
                new RegExp(`^== node-b \\(http://127\\.0\\.0\\.1:${panelB}\\)\\nNAME .*\\nweb-b +RUNNING`, 'm'),
              );
              assert.match(text, /^== silent \(.*\): DOWN: no answer within 1500 ms$/m);

              // the panel's view from node-b, with the token (what node-b's panel page draws)
              const auth = { authorization: `Bearer ${TOKEN}` };
              const started = Date.now();
              const fromB = await rawRequest(panelB, '/api/nodes', { headers: auth });
              const viewMs = Date.now() - started;
              assert.equal(fromB.status, 200, fromB.body);
              const view = JSON.parse(fromB.body).nodes;
              assert.deepEqual(
                view.map((n: any) => [n.name, n.up, n.programs.map((p: any) => p.name)]),
                [
                  ['node-b', true, ['web-b']],
                  ['node-a', true, ['web-a']],
                ],
              );
              // a wrong token is refused by the peer, and said so
              assert.equal(
                (await rawRequest(panelA, '/api/status', { headers: { authorization: 'Bearer nope' } })).status,
                401,
              );

              // node-b shut down: node-a shows it down with the reason at the next look
              assert.equal(b.ctl(['shutdown']).status, 0);
              const before = Date.now();
              const after = JSON.parse(
                (await rawRequest(panelA, '/api/nodes?peers=only', { headers: auth })).body,
              ).nodes;
              const elapsed = Date.now() - before;
              assert.equal(after[0].name, 'node-b');
              assert.equal(after[0].up, false);
              assert.match(after[0].reason, /ECONNREFUSED/);
              assert.equal(after[1].up, false);
              assert.ok(elapsed < 2000, `the answer took ${elapsed} ms, more than one 2 s interval`);
              console.log(`peers: /api/nodes from node-b ${viewMs} ms; node-b down seen in ${elapsed} ms`);
            },
          );
        },
      );
    } finally {
      for (const s of sockets) s.destroy();
      silent.close();
    }
  },
);
