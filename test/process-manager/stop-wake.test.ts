/**
 * `stop-wake`: a daemon that acts on its stop signal only when its event loop next wakes
 * (memcached) is woken by one connection after the signal, and exits at once; without it the
 * same daemon is still there when its stop timeout runs out, and is killed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { freePorts } from '../helpers/ports';
import { ROOT_FIXTURES, supervisorPart, withSupervised, type SupervisedDeployment } from '../helpers/supervisor';
import { waitFor } from '../helpers/wait';

const LAZY = path.join(ROOT_FIXTURES, 'programs', 'lazy-stop.py');
const PYTHON = '/usr/bin/python3';

/** A program's log once it shows `line` (pm2 writes a stopped program's last output a little later). */
async function logOf(d: SupervisedDeployment, name: string, line: RegExp): Promise<string> {
  const read = (): string => d.read(`var/log/${name}.log`);
  return waitFor(() => (line.test(read()) ? read() : undefined), {
    what: `${name}'s log to show ${line}`,
    timeoutMs: 5000,
    detail: read,
  });
}

test(
  'stop-wake: a daemon that exits only when woken stops cleanly on its signal; without it, it is killed at its ' +
    'stop timeout',
  { timeout: 120_000 },
  async () => {
    const [panel, woken, unwoken] = await freePorts(3);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}
programs =
    10 woken (listen=127.0.0.1:${woken} stop-wake=127.0.0.1:${woken} stopwaitsecs=30) ${PYTHON} [${LAZY} ${woken}]
    10 unwoken (listen=127.0.0.1:${unwoken} stopwaitsecs=1) ${PYTHON} [${LAZY} ${unwoken}]
`,
      async (d) => {
        d.assembleOrFail();
        assert.deepEqual(d.config().programs.find((p: { name: string }) => p.name === 'woken').stopWake, {
          host: '127.0.0.1',
          port: woken,
        });
        const start = d.supervisord();
        assert.equal(start.status, 0, start.stderr);

        const stopped = d.ctl(['stop', 'woken']);
        assert.equal(stopped.status, 0, stopped.stderr);
        assert.doesNotMatch(stopped.stderr, /SIGKILL/);
        assert.match(
          await logOf(d, 'woken', /woken after SIGTERM/),
          /got SIGTERM: exiting at the next connection\n(?:.*\n)*?.*woken after SIGTERM: exiting/,
        );
        assert.equal(d.program('woken').state, 'STOPPED');

        // the control: the same program without stop-wake never notices its SIGTERM
        const killed = d.ctl(['stop', 'unwoken']);
        assert.equal(killed.status, 0, killed.stderr);
        assert.match(killed.stderr, /unwoken \(pid \d+\) did not exit within 1\.0 s after SIGTERM: sending SIGKILL/);
        assert.match(await logOf(d, 'unwoken', /got SIGTERM/), /got SIGTERM: exiting at the next connection/);
        assert.doesNotMatch(d.read('var/log/unwoken.log'), /woken after SIGTERM/);
      },
    );
  },
);

test('stop-wake takes an address: anything else is an assembly error at the programs option', async () => {
  const [panel] = await freePorts(1);
  await withSupervised(
    `[buildout]
parts = supervisor
${supervisorPart(panel)}
programs =
    10 lazy (stop-wake=nowhere) ${PYTHON} [${LAZY} 1]
`,
    (d) => {
      const result = d.run();
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /\[supervisor\] programs/);
      assert.match(result.stderr, /nowhere/);
    },
  );
});
