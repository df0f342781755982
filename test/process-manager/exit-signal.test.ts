/**
 * A program killed by a signal is reported as killed by that signal, never as "exit code 0"
 * (pm2 itself records `code || 0`): a real program SIGKILLed from outside (as the OOM killer
 * does) shows "killed by SIGKILL" in status (JSON and text), in the history's events and in
 * the agent's log, and the agent restarts it; a program that ignores its stop signal and is
 * SIGKILLed at its stop timeout shows the same.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { freePorts } from '../helpers/ports';
import { alive, serverLine, supervisorPart, withSupervised } from '../helpers/supervisor';
import { waitFor } from '../helpers/wait';

test(
  "a program killed by SIGKILL is reported as killed by SIGKILL in status, history and the agent's log",
  { timeout: 90_000 },
  async () => {
    const [panel, web, stubborn] = await freePorts(3);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}programs =
    ${serverLine(10, 'web', web)}
    ${serverLine(10, 'stubborn', stubborn, { extra: 'stopsignal=HUP stopwaitsecs=1' })}
`,
      async (d) => {
        d.assembleOrFail();
        d.startOrFail();
        const victim = d.program('web').pid as number;
        process.kill(victim, 'SIGKILL');
        let last: Record<string, any> = {};
        const restarted = (): Record<string, any> | false => {
          last = d.program('web');
          return last.state === 'RUNNING' && last.restarts === 1 && last;
        };
        const row = await waitFor(restarted, {
          what: 'the agent to restart web (RUNNING after 1 restart)',
          timeoutMs: 20_000,
          intervalMs: 100,
          detail: () => JSON.stringify(last),
        });
        assert.notEqual(row.pid, victim);
        assert.equal(alive(victim), false);
        assert.deepEqual([row.lastExitCode, row.lastExitSignal, row.lastExit], [null, 'SIGKILL', 'killed by SIGKILL']);
        assert.match(
          d.ctl(['status']).stdout,
          /^web\s+RUNNING\s+\d+\s+\S+\s+\S+\s+\S+\s+1\s+killed by SIGKILL\s+127\.0\.0\.1:\d+\s+yes$/m,
        );
        const history = JSON.parse(d.ctl(['history', 'web', '--json']).stdout) as {
          events: Array<{ event: string; detail: string }>;
        };
        const exited = history.events.filter((e) => e.event === 'exited').map((e) => e.detail);
        assert.deepEqual(exited, ['killed by SIGKILL; restart 1 of 5 in 500 ms']);
        assert.match(d.ctl(['history', 'web']).stdout, /exited\s+killed by SIGKILL; restart 1 of 5/);
        // the agent's output reaches its log through pm2: wait for the line
        const logged = /web: killed by SIGKILL after [\d.]+ s; restarting in 500 ms \(1\/5\)/;
        await waitFor(() => logged.test(d.read('var/log/supervisor-agent.log')), {
          what: 'the agent to log the kill',
          timeoutMs: 10_000,
        });
        const agentLog = d.read('var/log/supervisor-agent.log');
        assert.doesNotMatch(agentLog, /web: exited with code 0/);

        // SIGHUP only makes it "reload": it is SIGKILLed at its 1 s stop timeout
        const stop = d.ctl(['stop', 'stubborn']);
        assert.equal(stop.status, 0, stop.stderr);
        assert.match(stop.stderr, /stubborn \(pid \d+\) did not exit within 1\.0 s after SIGHUP: sending SIGKILL/);
        const stopped = d.program('stubborn');
        assert.deepEqual(
          [stopped.state, stopped.lastExitCode, stopped.lastExit],
          ['STOPPED', null, 'killed by SIGKILL'],
        );
        const events = (
          JSON.parse(d.ctl(['history', 'stubborn', '--json']).stdout) as {
            events: Array<{ event: string; detail: string }>;
          }
        ).events;
        assert.match(events.find((e) => e.event === 'killed')!.detail, /^pid \d+ in \d+ ms \(killed by SIGKILL\)$/);
        // a clean stop still reads as exit code 0
        assert.equal(d.ctl(['stop', 'web']).status, 0);
        assert.deepEqual([d.program('web').lastExitCode, d.program('web').lastExit], [0, 'exit code 0']);
      },
    );
  },
);
