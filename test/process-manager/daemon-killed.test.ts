/**
 * pm2's daemon killed with SIGKILL: its programs live on as orphans. The process manager finds
 * them again from the identities it recorded (pid and start time): status reports them running
 * with their pids (never stopped), the agent notices and exits, `stop NAME` and `shutdown` stop
 * them by pid with each program's own signal and timeout, and `bin/supervisord` stops them and
 * starts everything again under a new daemon. A recorded pid that now belongs to another process
 * (a start time that does not match) is never taken for ours, nor a pm2.pid naming it for our
 * daemon. Nothing is left: no process, no port.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import * as path from 'node:path';
import * as http from 'node:http';
import { freePorts, isListening } from '../helpers/ports';
import { alive, serverLine, supervisorPart, withSupervised, type SupervisedDeployment } from '../helpers/supervisor';
import { identify } from '../../programs/process-manager/process-identity';
import { StateDb } from '../../programs/process-manager/state-db';
import { waitFor, within } from '../helpers/wait';

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path: '/', timeout: 5000 }, (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

/**
 * SIGKILL to this deployment's own pm2 daemon (its pid from the deployment's PM2_HOME), then waits until it is gone.
 */
async function killDaemon(d: SupervisedDeployment): Promise<number> {
  const daemon = d.daemonPid()!;
  assert.ok(daemon && alive(daemon), 'the daemon runs');
  process.kill(daemon, 'SIGKILL');
  await waitFor(() => !alive(daemon), { what: 'the daemon to die' });
  return daemon;
}

test(
  "pm2's daemon killed with SIGKILL: orphans are reported running, stopped by pid, or restarted by " +
    'supervisord; nothing is left',
  { timeout: 180_000 },
  async () => {
    const [panel, web1, web2] = await freePorts(3);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}programs =
    ${serverLine(10, 'web1', web1)}
    ${serverLine(20, 'web2', web2, { extra: 'stopsignal=HUP stopwaitsecs=1' })}
`,
      async (d) => {
        d.assembleOrFail();
        d.startOrFail();
        const before = d.status().programs;
        const pids = Object.fromEntries(before.map((p) => [p.name, p.pid as number]));
        const daemon = await killDaemon(d);

        // the programs serve on, and status says so, with their pids
        assert.equal(await get(web1), `server-${web1}\n`);
        // the agent notices its daemon is gone, says so in its log, and exits: the panel goes
        await waitFor(async () => !(await isListening(panel)), { what: 'the agent to exit' });
        const lost = new RegExp(`agent: pm2's daemon \\(pid ${daemon}\\) is gone; the programs run on without it`);
        await waitFor(() => lost.test(d.read('var/log/supervisor-agent.log')), {
          what: 'the agent to log why it exits',
        });
        const status = d.status();
        assert.equal(status.supervisord, false);
        for (const row of status.programs) {
          assert.deepEqual(
            [row.name, row.state, row.pid, row.orphan, row.ready],
            [row.name, 'RUNNING', pids[row.name], true, true],
          );
          assert.match(row.reason, /running outside pm2 \(the daemon that started it is gone\)/);
        }
        assert.deepEqual(
          status.orphans
            .filter((o) => o.name !== 'zeta-agent')
            .map((o) => [o.name, o.pid])
            .sort(),
          [
            ['web1', pids.web1],
            ['web2', pids.web2],
          ],
        );
        const text = d.ctl(['status']);
        assert.match(
          text.stderr,
          /supervisord is not running for .*, but its pm2 daemon died and left web1 \(pid \d+\) and web2 \(pid \d+\) running\n\s+hint: bin\/supervisord stops them and starts everything again under a new daemon; bin\/supervisorctl shutdown \(or stop NAME\) stops them\./,
        );
        assert.match(text.stdout, /^web1\s+RUNNING\s+\d+/m);
        assert.doesNotMatch(text.stdout, /STOPPED/);
        // start cannot go on without a daemon, and says why
        const start = d.ctl(['start', 'web1']);
        assert.equal(start.status, 2);
        assert.match(
          start.stderr,
          /error\[NOT_RUNNING\]: supervisord is not running for .*, but its pm2 daemon died and left/,
        );

        // stop NAME stops that orphan by pid with its own signal, and nothing else
        const stop = d.ctl(['stop', 'web1']);
        assert.equal(stop.status, 0, stop.stderr);
        assert.match(
          stop.stderr,
          new RegExp(`^stopped  web1 .*\\(pid ${pids.web1}, left running by a pm2 daemon that died\\)`, 'm'),
        );
        assert.equal(alive(pids.web1), false);
        assert.equal(alive(pids.web2), true);
        assert.deepEqual(
          d.status().programs.map((p) => [p.name, p.state]),
          [
            ['web1', 'STOPPED'],
            ['web2', 'RUNNING'],
          ],
        );

        // shutdown stops the rest: web2 ignores its stop signal (SIGHUP) and is SIGKILLed after its 1 s
        const down = d.ctl(['shutdown']);
        assert.equal(down.status, 0, down.stderr);
        assert.match(
          down.stderr,
          /supervisord is not running, but its pm2 daemon died and left web2 \(pid \d+\) running: stopping them by pid, each with its own stop signal/,
        );
        assert.match(down.stderr, /web2 \(pid \d+\) did not exit within 1\.0 s after SIGHUP: sending SIGKILL/);
        assert.match(down.stderr, /shut down in [\d.]+ s: no program running, no port of this deployment listening/);
        assert.equal(alive(pids.web2), false);
        for (const port of [panel, web1, web2]) assert.equal(await isListening(port), false, `port ${port}`);
        assert.deepEqual(
          d.status().programs.map((p) => p.state),
          ['STOPPED', 'STOPPED'],
        );
        assert.match(d.ctl(['shutdown']).stderr, /supervisord is not running: nothing to shut down/);

        // again, and this time bin/supervisord takes over: the orphans stopped, everything started anew
        d.startOrFail();
        const second: Record<string, number> = Object.fromEntries(
          d.status().programs.map((p) => [p.name, p.pid as number]),
        );
        await killDaemon(d);
        const restart = d.supervisord();
        assert.equal(restart.status, 0, restart.stderr);
        assert.match(
          restart.stderr,
          /an earlier pm2 daemon of this deployment died and left web1 \(pid \d+\), web2 \(pid \d+\) and the agent \(pid \d+\) running|an earlier pm2 daemon of this deployment died and left web1 \(pid \d+\) and web2 \(pid \d+\) running/,
        );
        assert.match(restart.stderr, /all 2 programs ready/);
        for (const pid of Object.values(second)) assert.equal(alive(pid), false, `old pid ${pid} was stopped`);
        const fresh = d.status();
        assert.equal(fresh.supervisord, true);
        assert.deepEqual(fresh.orphans, []);
        for (const row of fresh.programs) {
          assert.deepEqual([row.state, row.orphan], ['RUNNING', false]);
          assert.notEqual(row.pid, second[row.name]);
        }
        const pidsNow = fresh.programs.map((p) => p.pid as number);
        const daemonNow = d.daemonPid()!;
        const final = d.ctl(['shutdown']);
        assert.equal(final.status, 0, final.stderr);
        for (const pid of [...pidsNow, daemonNow]) assert.equal(alive(pid), false, `pid ${pid}`);
        for (const port of [panel, web1, web2]) assert.equal(await isListening(port), false, `port ${port}`);
      },
    );
  },
);

test(
  'a recorded pid now held by another process (its start time differs) is never taken for ours',
  { timeout: 90_000 },
  async () => {
    const [panel, web] = await freePorts(2);
    const stranger = spawn('/usr/bin/sleep', ['60'], { stdio: 'ignore' });
    try {
      await withSupervised(
        `[buildout]\nparts = supervisor\n${supervisorPart(panel)}programs =\n    ${serverLine(10, 'web', web)}\n`,
        async (d) => {
          d.assembleOrFail();
          d.startOrFail();
          assert.equal(d.ctl(['shutdown']).status, 0);
          // as if web's pid had been handed to an unrelated process since: same pid, another start time
          const db = StateDb.open(d.path('var', 'supervisor', 'monitor.sqlite'), 10);
          const real = identify(stranger.pid!)!;
          db.recordProcess('web', { pid: real.pid, start: real.start - 1 });
          db.close();
          // and pm2.pid left behind naming it too, as after a killed daemon whose pid was handed on
          writeFileSync(path.join(d.config().pm2Home, 'pm2.pid'), String(stranger.pid));
          assert.deepEqual(
            [d.status().supervisord, d.program('web').state, d.program('web').pid],
            [false, 'STOPPED', null],
          );
          assert.match(d.ctl(['shutdown']).stderr, /nothing to shut down/);
          const start = d.startOrFail();
          assert.doesNotMatch(start.stderr, /an earlier pm2 daemon/);
          assert.equal(alive(stranger.pid!), true, 'the stranger was left alone');
          // and the real identity of a live stranger is not ours either once web runs: web's own is recorded
          assert.notEqual(d.program('web').pid, stranger.pid);
        },
      );
      assert.equal(alive(stranger.pid!), true, 'teardown left the stranger alone');
    } finally {
      stranger.kill('SIGKILL');
    }
  },
);

test(
  'supervisord -n whose pm2 daemon is killed stops the programs it left and exits 1 (for its service manager ' +
    'to restart it)',
  { timeout: 90_000 },
  async () => {
    const [panel, web] = await freePorts(2);
    await withSupervised(
      `[buildout]\nparts = supervisor\n${supervisorPart(panel)}programs =\n    ${serverLine(10, 'web', web)}\n`,
      async (d) => {
        d.assembleOrFail();
        const child = d.supervisordForeground();
        let stderr = '';
        child.stderr!.on('data', (chunk) => {
          stderr += chunk;
        });
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        await waitFor(() => /all 1 programs ready/.test(stderr), { what: 'all programs ready', timeoutMs: 30_000 });
        const pid = d.program('web').pid as number;
        const daemon = await killDaemon(d);
        const code = await within(exited, { what: 'supervisord -n to exit', timeoutMs: 30_000 });
        assert.equal(code, 1, stderr);
        assert.match(
          stderr,
          new RegExp(
            `pm2's daemon \\(pid ${daemon}\\) is gone: stopping the programs it left running, then exiting ` +
              `with status 1`,
          ),
        );
        assert.match(stderr, /^stopped  web .*left running by a pm2 daemon that died/m);
        assert.equal(alive(pid), false);
        for (const port of [panel, web]) assert.equal(await isListening(port), false, `port ${port}`);
      },
    );
  },
);
