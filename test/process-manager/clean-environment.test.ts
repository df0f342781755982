/**
 * Nothing of the shell that runs bin/supervisord or bin/supervisorctl reaches pm2: a variable
 * set there is in neither the environment of pm2's daemon (/proc/PID/environ), nor the agent's,
 * nor a program's, nor any app's entry as pm2 stores it (`pm2 jlist`), also after an operator's
 * restart and a crash restart by the agent.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { freePorts } from '../helpers/ports';
import { serverLine, supervisorPart, withSupervised, type SupervisedDeployment } from '../helpers/supervisor';
import { portHolders } from '../../programs/process-manager/proc-info';
import { waitFor } from '../helpers/wait';

const SECRET = 'zeta-secret-7d1f0c';

function environ(pid: number): Record<string, string> {
  const entries = readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').filter(Boolean);
  return Object.fromEntries(entries.map((e) => [e.slice(0, e.indexOf('=')), e.slice(e.indexOf('=') + 1)]));
}

/** pm2's own CLI against the running daemon (it would spawn one if none ran: checked first). */
function jlist(d: SupervisedDeployment): string {
  const home = d.config().pm2Home;
  assert.ok(d.daemonPid(), 'the daemon runs');
  const r = spawnSync(process.execPath, [require.resolve('pm2/bin/pm2'), 'jlist'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { PATH: process.env.PATH, HOME: d.home(), PM2_HOME: home },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.ok(JSON.parse(r.stdout).length >= 2, r.stdout.slice(0, 200));
  return r.stdout;
}

test(
  "the caller's environment reaches neither pm2's daemon nor any app's stored entry",
  { timeout: 90_000 },
  async () => {
    const [panel, web, crashy] = await freePorts(3);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}programs =
    ${serverLine(10, 'web', web)}
    ${serverLine(10, 'crashy', crashy, { exitAfterMs: 1500, exitCode: 4 })}
`,
      async (d) => {
        d.assembleOrFail();
        const shell = { ZETA_SECRET_TEST: SECRET, ANOTHER_SHELL_VARIABLE: SECRET };
        const start = d.supervisord([], 60_000, shell);
        assert.equal(start.status, 0, start.stderr);
        const daemon = environ(d.daemonPid()!);
        // NODE_CHANNEL_*: node's own, for the IPC channel the daemon says "ready" on
        assert.deepEqual(
          Object.keys(daemon)
            .filter((k) => !k.startsWith('NODE_CHANNEL_'))
            .sort(),
          [
            'HOME',
            'LANG',
            'PATH',
            'PM2_DISCRETE_MODE',
            'PM2_HOME',
            'PM2_KILL_SIGNAL',
            'PM2_NO_INTERACTION',
            'PM2_PROGRAMMATIC',
            'SILENT',
          ],
        );
        assert.equal(daemon.HOME, d.config().pm2Home);
        const [agent] = portHolders(panel);
        for (const pid of [agent.pid, d.program('web').pid as number]) {
          assert.doesNotMatch(readFileSync(`/proc/${pid}/environ`, 'utf8'), new RegExp(SECRET), `pid ${pid}`);
        }
        assert.doesNotMatch(jlist(d), new RegExp(SECRET));
        // an operator's restart goes through supervisorctl's own pm2 client, with the secret in its shell
        const restart = d.ctl(['restart', 'web'], 60_000, shell);
        assert.equal(restart.status, 0, restart.stderr);
        // and the agent restarts crashy after its crash, through its own client
        await waitFor(() => d.program('crashy').restarts >= 1, {
          what: 'the agent to restart crashy',
          timeoutMs: 20_000,
          intervalMs: 200,
        });
        const after = jlist(d);
        assert.doesNotMatch(after, new RegExp(SECRET));
        assert.doesNotMatch(after, /ANOTHER_SHELL_VARIABLE|ZETA_SECRET_TEST/);
        assert.doesNotMatch(readFileSync(`/proc/${d.program('web').pid}/environ`, 'utf8'), new RegExp(SECRET));
      },
    );
  },
);
