/**
 * Two process managers on loopback that know each other as peers (the supervisor part's
 * `peers` and a shared `agent-token`), and a third "node" that accepts connections and never
 * answers: `status --all-nodes` and the panel's /api/nodes list every node's programs grouped
 * by node, the silent one down with the reason within one sampling interval, and a node whose
 * process manager is shut down is shown down at the next look.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as https from 'node:https';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { makePair } from '../helpers/certificates';
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

test(
  'peers over TLS: the panel serves HTTPS with its certificate, peers are checked against peer-ca, a wrong CA or no token is refused',
  { timeout: 180_000 },
  async () => {
    const [panelA, panelB, webA, webB] = await freePorts(4);
    const dir = mkdtempSync(path.join(tmpdir(), 'zs-peers-tls-'));
    try {
      const agents = makePair(dir, 'agents', ['zetaserver agents', '127.0.0.1']);
      const stranger = makePair(dir, 'stranger', ['stranger', '127.0.0.1']);
      const part = (panel: number, node: string, peer: string, ca: string): string =>
        `${supervisorPart(panel)}monitor-interval = 2\nagent-token = ${TOKEN}\nnode = ${node}\n` +
        `tls-certificate = ${agents.certificate}\ntls-key = ${agents.key}\npeer-ca = ${ca}\npeers =\n    ${peer}\n`;
      await withSupervised(
        `[buildout]\nparts = supervisor\n${part(panelA, 'node-a', `node-b=https://127.0.0.1:${panelB}`, agents.certificate)}programs =\n    ${serverLine(10, 'web-a', webA)}\n`,
        async (a) => {
          await withSupervised(
            // node-b trusts another CA: node-a's certificate is refused there
            `[buildout]\nparts = supervisor\n${part(panelB, 'node-b', `node-a=https://127.0.0.1:${panelA}`, stranger.certificate)}programs =\n    ${serverLine(10, 'web-b', webB)}\n`,
            async (b) => {
              a.assembleOrFail();
              b.assembleOrFail();
              a.startOrFail();
              b.startOrFail();
              const fromA = JSON.parse(a.ctl(['status', '--all-nodes', '--json']).stdout).nodes;
              assert.deepEqual(
                fromA.map((n: any) => [n.name, n.up, n.programs.map((p: any) => p.name)]),
                [
                  ['node-a', true, ['web-a']],
                  ['node-b', true, ['web-b']],
                ],
              );
              const fromB = JSON.parse(b.ctl(['status', '--all-nodes', '--json']).stdout).nodes;
              assert.equal(fromB[1].name, 'node-a');
              assert.equal(fromB[1].up, false);
              assert.match(fromB[1].reason, /self[- ]signed|unable to verify|certificate/i);

              const ca = readFileSync(agents.certificate);
              const get = (port: number, headers: Record<string, string>): Promise<{ status: number; body: string }> =>
                new Promise((resolve, reject) => {
                  const req = https.get({ host: '127.0.0.1', port, path: '/metrics', ca, headers }, (res) => {
                    let body = '';
                    res.on('data', (c: Buffer) => (body += c.toString()));
                    res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
                  });
                  req.setTimeout(5000, () => req.destroy(new Error('no answer in 5 s')));
                  req.on('error', reject);
                });
              const authed = await get(panelA, { authorization: `Bearer ${TOKEN}` });
              assert.equal(authed.status, 200);
              assert.match(authed.body, /^zeta_program_up\{.*program="web-a"/m);
              assert.equal((await get(panelA, {})).status, 401);
              // a browser logs in over HTTPS: same origin is https://, the session cookie is Secure
              const login = await new Promise<{ status: number; cookie: string }>((resolve, reject) => {
                const body = 'user=admin&password=secret';
                const req = https.request(
                  {
                    host: '127.0.0.1',
                    port: panelA,
                    path: '/login',
                    method: 'POST',
                    ca,
                    headers: {
                      origin: `https://127.0.0.1:${panelA}`,
                      'content-type': 'application/x-www-form-urlencoded',
                      'content-length': String(body.length),
                    },
                  },
                  (res) => {
                    res.resume();
                    res.on('end', () =>
                      resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') }),
                    );
                  },
                );
                req.setTimeout(5000, () => req.destroy(new Error('no answer in 5 s')));
                req.on('error', reject);
                req.end(body);
              });
              assert.equal(login.status, 303);
              assert.match(login.cookie, /; Secure;/);
              // the panel speaks nothing but TLS: a plain request gets no HTTP answer
              const plain = await rawRequest(panelA, '/metrics', {
                headers: { authorization: `Bearer ${TOKEN}` },
              }).then(
                (r) => r.status,
                () => 'no answer',
              );
              assert.notEqual(plain, 200);
              assert.match(readFileSync(path.join(a.dir, 'parts', 'supervisor', 'supervisor.json'), 'utf8'), /"tls"/);
            },
          );
        },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
);
