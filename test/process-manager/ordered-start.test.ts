/**
 * bin/supervisord with real programs under the real pm2: priority groups start in order, each
 * behind the previous group's readiness gate (a late program holds its dependants back);
 * programs get exactly the configured environment; status reports them; shutdown stops them in
 * reverse order and leaves no process and no listening port.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { getPriority } from 'node:os';
import * as path from 'node:path';
import { freePorts, isListening } from '../helpers/ports';
import { alive, serverLine, timestamps, withSupervised } from '../helpers/supervisor';
import { portHolders, statFields } from '../../programs/process-manager/proc-info';

const niceness = (pid: number): number => Number(statFields(pid)[16]);

test(
  'ordered start behind readiness gates, exact environment, status, shutdown leaving nothing',
  { timeout: 120_000 },
  async () => {
    const [panel, slow, fast1, fast2] = await freePorts(4);
    await withSupervised(
      `[buildout]
parts = supervisor
[supervisor]
recipe = collective.recipe.supervisor
port = 127.0.0.1:${panel}
user = admin
password = secret
environment =
    GREETING=hello
programs =
    ${serverLine(10, 'slow', slow, { delayMs: 1500 })}
    ${serverLine(20, 'fast1', fast1)}
    ${serverLine(20, 'fast2', fast2)}
`,
      async (d) => {
        d.assembleOrFail();
        const start = d.supervisord([], 60_000, { SECRET_FROM_SHELL: 'must-not-leak' });
        assert.equal(start.status, 0, start.stderr);
        assert.match(start.stderr, /priority 10: waiting for slow \(port 127\.0\.0\.1:\d+\)/);
        assert.match(start.stderr, /ready\s+slow\s+1\.\d\d s/);
        assert.match(start.stderr, /all 3 programs ready in [\d.]+ s; control panel: http:\/\/127\.0\.0\.1:\d+\//);

        // the gate, measured: the dependants were launched only after slow listened
        const slowLog = d.read('var/log/slow.log');
        const [slowStarted] = timestamps(slowLog, 'started');
        const [slowListening] = timestamps(slowLog, 'listening');
        for (const name of ['fast1', 'fast2']) {
          const [started] = timestamps(d.read(`var/log/${name}.log`), 'started');
          assert.ok(
            started >= slowListening,
            `${name} started at ${started}, before slow listened at ${slowListening}`,
          );
          assert.ok(started - slowStarted >= 1400, `${name} started only ${started - slowStarted} ms after slow`);
        }
        // exactly the configured environment: nothing from the shell, nothing from pm2
        assert.match(d.read('var/log/fast1.log'), /environment keys GREETING,PATH\n/);

        const status = d.status();
        assert.equal(status.supervisord, true);
        for (const row of status.programs) {
          assert.equal(row.state, 'RUNNING', JSON.stringify(row));
          assert.equal(row.ready, true);
          assert.ok(row.pid > 0 && alive(row.pid));
          assert.match(row.address, /^127\.0\.0\.1:\d+$/);
          assert.equal(typeof row.memory, 'number');
        }
        // the agent (the panel's process) runs at nice 10, the programs at their own priority
        const [agent] = portHolders(panel);
        assert.ok(agent, 'the agent serves the panel');
        assert.equal(niceness(agent.pid), Math.max(getPriority(), 10));
        for (const row of status.programs)
          assert.equal(niceness(row.pid as number), getPriority(), JSON.stringify(row));
        const text = d.ctl(['status']);
        assert.match(text.stdout, /^NAME\s+STATE\s+PID\s+UPTIME\s+CPU\s+MEM\s+RESTARTS\s+EXIT\s+ADDRESS\s+READY/);
        const pids = status.programs.map((p) => p.pid as number);
        const daemon = d.daemonPid()!;
        assert.ok(d.config().pm2Home.length < 40, 'PM2_HOME is short');

        const down = d.ctl(['shutdown']);
        assert.equal(down.status, 0, down.stderr);
        const order = [...down.stderr.matchAll(/stopped\s+(\S+)/g)].map((m) => m[1]);
        assert.equal(order[order.length - 1], 'slow', `slow (priority 10) stops last: ${order.join(', ')}`);
        assert.match(down.stderr, /no program running, no port of this deployment listening/);
        for (const pid of [...pids, daemon]) assert.equal(alive(pid), false, `pid ${pid} is still alive`);
        for (const port of [panel, slow, fast1, fast2])
          assert.equal(await isListening(port), false, `port ${port} still listens`);
        assert.match(d.read('var/log/slow.log'), /got SIGTERM/);
        assert.equal(d.status().supervisord, false);
        // pm2 lived in the deployment's own short home: nothing was made in the user's ~/.pm2
        assert.ok(!existsSync(path.join(d.home(), '.pm2')), 'pm2 touched HOME/.pm2');
      },
    );
  },
);
