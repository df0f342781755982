/**
 * The operations view against real programs under the real pm2: the monitor's Salvus samples
 * and inventory through the history API (capped, time-ordered), /metrics parsed by Prometheus's
 * own text-format parser (python3-prometheus-client) and refused without the token, and
 * `supervisorctl logs --since --grep` finding lines across a rotation.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { freePorts } from '../helpers/ports';
import { NODE, ROOT_FIXTURES, serverLine, supervisorPart, withSupervised } from '../helpers/supervisor';
import { login, rawRequest } from '../helpers/supervisor-panel';
import { waitFor } from '../helpers/wait';

const PYTHON = '/usr/bin/python3';
/** Prometheus's parser: the families and samples it reads, as JSON. */
const PARSE = `
import json, sys
from prometheus_client.parser import text_string_to_metric_families
out = []
for f in text_string_to_metric_families(sys.stdin.read()):
    out.append({"name": f.name, "type": f.type, "samples": [[s.name, s.labels, s.value] for s in f.samples]})
print(json.dumps(out))
`;

type Family = { name: string; type: string; samples: Array<[string, Record<string, string>, number]> };

function parsePrometheus(text: string): Family[] {
  const r = spawnSync(PYTHON, ['-c', PARSE], { input: text, encoding: 'utf8', timeout: 30_000 });
  if (r.status !== 0) throw new Error(`prometheus_client refused the text: ${r.stderr}\n${text}`);
  return JSON.parse(r.stdout) as Family[];
}

test(
  'history API, /metrics and logs of real programs: Salvus samples capped and ordered, metrics parsed, lines found across a rotation',
  { timeout: 180_000 },
  async () => {
    const [panel, web] = await freePorts(2);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}monitor-interval = 1
monitor-samples = 10
logfile-maxbytes = 64KB
logfile-backups = 2
node = node-a
programs =
    ${serverLine(10, 'web', web)}
    20 chatty (startsecs=0) ${NODE} [${path.join(ROOT_FIXTURES, 'programs', 'chatty.js')}]
`,
      async (d) => {
        d.assembleOrFail();
        const tokenFile = d.path('parts', 'supervisor', 'agent-token');
        assert.equal(statSync(tokenFile).mode & 0o777, 0o600, 'the token file is 0600');
        const token = readFileSync(tokenFile, 'utf8').trim();
        assert.ok(token.length >= 32);
        assert.doesNotMatch(d.run('plan').stdout + d.run('plan', '--json').stdout, new RegExp(token));
        d.startOrFail();
        const bearer = { authorization: `Bearer ${token}` };

        // history: more samples taken than kept; what is kept is capped and in time order
        const history = async (query: string): Promise<any> => {
          const r = await rawRequest(panel, `/api/history?${query}`, { headers: bearer });
          assert.equal(r.status, 200, r.body);
          return JSON.parse(r.body);
        };
        const started = Date.now();
        const full = await waitFor(
          async () => {
            const h = await history('program=web');
            return h.programs[0].samples.length === 10 && Date.now() - started > 12_000 && h;
          },
          { what: 'the history of web to hold 10 samples after 12 intervals', timeoutMs: 60_000, intervalMs: 500 },
        );
        const [webHistory] = full.programs;
        assert.equal(full.node, 'node-a');
        assert.equal(full.maxSamples, 10);
        const times = webHistory.samples.map((s: any) => s.ts);
        assert.deepEqual(
          times,
          [...times].sort((a, b) => a - b),
          'samples are time-ordered',
        );
        assert.ok(times[0] > started, 'the older samples were dropped (capped at 10)');
        const last = webHistory.samples.at(-1);
        const pid = d.program('web').pid;
        assert.equal(last.pid, pid);
        assert.equal(last.state, 'RUNNING');
        assert.ok(last.load >= 0 && last.cpuTimeMs > 0 && last.wallMs > 1000, JSON.stringify(last));
        assert.ok(last.memory > 1024 * 1024 && last.virtualBytes > last.memory, JSON.stringify(last));
        assert.ok(last.memoryPercent > 0 && last.memoryPercent < 100);
        assert.ok(typeof last.cpu === 'number' && last.cpu >= 0);
        // the real process's rss, as /proc says, is of the same size as the sample's
        const rss = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) * 1024;
        assert.ok(Math.abs(rss - last.memory) < rss / 2, `rss ${rss} vs sample ${last.memory}`);
        const service = webHistory.service;
        assert.equal(service.type, 'program');
        assert.equal(service.address, '127.0.0.1');
        assert.equal(service.port, web);
        assert.equal(service.pid, pid);
        assert.equal(service.user, require('node:os').userInfo().username);
        const agentPid = d.status().programs.length && Number(service.monitor_pid);
        assert.ok(agentPid > 0 && existsSync(`/proc/${agentPid}`), 'the monitor pid is a live process');
        assert.ok(
          webHistory.events.some((e: any) => e.event === 'ready'),
          JSON.stringify(webHistory.events),
        );
        // since: only what came after
        const later = await history(`program=web&since=${times.at(-2)}`);
        assert.deepEqual(
          later.programs[0].samples.map((s: any) => s.ts),
          times.slice(-1).concat(later.programs[0].samples.slice(1).map((s: any) => s.ts)),
        );
        assert.equal((await rawRequest(panel, '/api/history?since=soon', { headers: bearer })).status, 400);
        assert.equal((await rawRequest(panel, '/api/history?program=nope', { headers: bearer })).status, 404);

        // /metrics: refused without the token (from either loopback address), parsed with it
        for (const from of ['127.0.0.1', '127.0.0.2']) {
          const refused = await rawRequest(panel, '/metrics', { from });
          assert.equal(refused.status, 401, `unauthenticated /metrics from ${from}`);
          assert.doesNotMatch(refused.body, /zeta_program/);
          const wrong = await rawRequest(panel, '/metrics', { from, headers: { authorization: 'Bearer x' + token } });
          assert.equal(wrong.status, 401);
          assert.equal((await rawRequest(panel, '/api/history', { from })).status, 401);
        }
        const metrics = await rawRequest(panel, '/metrics', { headers: bearer, from: '127.0.0.2' });
        assert.equal(metrics.status, 200);
        assert.match(metrics.headers['content-type'], /^text\/plain; version=0\.0\.4/);
        const families = new Map(parsePrometheus(metrics.body).map((f) => [f.name, f]));
        const value = (family: string, program: string): number | undefined =>
          families.get(family)?.samples.find((s) => s[1].program === program)?.[2];
        assert.equal(value('zeta_program_up', 'web'), 1);
        assert.equal(value('zeta_program_ready', 'web'), 1);
        assert.equal(families.get('zeta_program_restarts')?.type, 'counter');
        assert.equal(value('zeta_program_restarts', 'web'), 0);
        assert.ok(value('zeta_program_cpu_seconds', 'chatty')! > 0);
        assert.ok(value('zeta_program_resident_memory_bytes', 'web')! > 1024 * 1024);
        assert.equal(families.get('zeta_node_load')?.samples.length, 3);
        assert.ok(families.get('zeta_program_up')!.samples.every((s) => s[1].node === 'node-a'));
        // the panel's session reads them too
        const session = await login(panel, 'admin', 'secret');
        const viaPanel = await rawRequest(panel, '/api/history?program=chatty', {
          headers: { cookie: session.cookie! },
        });
        assert.equal(viaPanel.status, 200);

        // logs across a rotation: a line from the rotated file and one from the current file
        const log = d.path('var', 'log', 'chatty.log');
        await waitFor(() => existsSync(`${log}.1`), { what: 'a rotation of chatty.log', timeoutMs: 30_000 });
        const numberIn = (file: string, which: 'first' | 'last'): string => {
          const numbers = [...readFileSync(file, 'utf8').matchAll(/line (\d{8})/g)].map((m) => m[1]);
          return which === 'first' ? numbers[0] : numbers.at(-1)!;
        };
        const [old, current] = [numberIn(`${log}.1`, 'first'), numberIn(log, 'last')];
        const r = d.ctl(['logs', 'chatty', 'web', '--since', '10m', '--grep', `line (${old}|${current}) `, '--json']);
        assert.equal(r.status, 0, r.stderr);
        const found = JSON.parse(r.stdout).lines;
        assert.deepEqual(
          found.map((l: any) => l.text.slice(0, 13)),
          [`line ${old}`, `line ${current}`],
        );
        assert.ok(found.every((l: any) => Math.abs(l.ts - Date.now()) < 120_000 && l.program === 'chatty'));
        const text = d.ctl(['logs', '--grep', `^listening server-${web} `]);
        assert.equal(text.status, 0, text.stderr);
        assert.match(
          text.stdout,
          new RegExp(`^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d web\\s+listening server-${web} at \\d+$`, 'm'),
        );
        const future = d.ctl(['logs', 'web', '--since', String(Date.now() + 3_600_000)]);
        assert.equal(future.stdout, '', 'nothing was written after a time to come');
        assert.equal(d.ctl(['logs', '--since', 'yesterday']).status, 2);
        // the panel's log search reads through the same code
        const search = await rawRequest(
          panel,
          `/api/logs?program=web&grep=${encodeURIComponent(`listening SERVER-${web}`)}`,
          {
            headers: { cookie: session.cookie! },
          },
        );
        assert.equal(search.status, 200);
        assert.deepEqual(
          JSON.parse(search.body).lines.map((l: any) => l.text.replace(/\d+$/, 'N')),
          [`listening server-${web} at N`],
        );
      },
    );
  },
);
