/**
 * A real mariadbd under the supervisor: it ignores SIGINT (pm2's default stop signal), so the
 * process manager must stop it with its own SIGTERM. Clean shutdown ("Shutdown complete") in
 * well under its 30 s stop timeout, and no crash recovery on the next start (its error log).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { freePorts, isListening } from '../helpers/ports';
import { withSupervised, supervisorPart } from '../helpers/supervisor';
import { waitFor } from '../helpers/wait';

const MARIADBD = '/usr/sbin/mariadbd';

test(
  'MariaDB stops cleanly on SIGTERM from the supervisor; no crash recovery on the next start',
  { timeout: 180_000, skip: !existsSync(MARIADBD) && 'mariadb-server is not installed' },
  async () => {
    const [panel, port] = await freePorts(2);
    await withSupervised('', async (d) => {
      const data = d.path('var', 'mysql');
      mkdirSync(d.path('var', 'run'), { recursive: true });
      d.write(
        'etc/my.cnf',
        `[mariadbd]
user = root
datadir = ${data}
socket = ${d.path('var', 'run', 'mysql.sock')}
pid-file = ${d.path('var', 'run', 'mysql.pid')}
port = ${port}
bind-address = 127.0.0.1
log-error = ${d.path('var', 'log', 'mariadb.err')}
tmpdir = ${d.path('var', 'run')}
skip-name-resolve
innodb_buffer_pool_size = 16M
innodb_log_file_size = 16M
`,
      );
      mkdirSync(d.path('var', 'log'), { recursive: true });
      const init = spawnSync(
        '/usr/bin/mariadb-install-db',
        [
          '--no-defaults',
          '--user=root',
          `--datadir=${data}`,
          '--auth-root-authentication-method=normal',
          '--skip-test-db',
        ],
        { encoding: 'utf8', timeout: 60_000 },
      );
      assert.equal(init.status, 0, init.stderr);
      d.write(
        'buildout.cfg',
        `[buildout]
parts = supervisor
${supervisorPart(panel)}programs =
    10 mysql (type=mysql listen=127.0.0.1:${port} ready-timeout=60s stopsignal=TERM stopwaitsecs=30) ${MARIADBD} [--defaults-file=${d.path('etc', 'my.cnf')}]
`,
      );
      d.assembleOrFail();
      const start = d.supervisord([], 90_000);
      assert.equal(start.status, 0, start.stderr);
      const errorLog = (): string => d.read('var/log/mariadb.err');
      const stop = d.ctl(['stop', 'mysql'], 60_000);
      assert.equal(stop.status, 0, stop.stderr);
      assert.match(stop.stderr, /stopped\s+mysql\s+[\d.]+ s\n/);
      // "(SIGKILL)" marks a kill; a progress line names SIGKILL as what would follow the timeout
      assert.doesNotMatch(stop.stderr, /\(SIGKILL\)|sending SIGKILL/);
      assert.ok(stop.ms < 15_000, `stopping took ${stop.ms} ms: the stop signal was not honoured`);
      assert.equal(await isListening(port), false);
      const firstRun = errorLog();
      assert.match(firstRun, /mariadbd: Shutdown complete/);
      assert.match(firstRun, /Normal shutdown/);

      const again = d.ctl(['start', 'mysql'], 90_000);
      assert.equal(again.status, 0, again.stderr);
      // ready = its port accepts; mariadbd logs "ready for connections" a moment after it listens
      const sinceRestart = (): string => errorLog().slice(firstRun.length);
      const secondRun = await waitFor(
        () => (/ready for connections/.test(sinceRestart()) ? sinceRestart() : undefined),
        {
          what: 'mariadbd to log "ready for connections" again',
          timeoutMs: 10_000,
          detail: sinceRestart,
        },
      );
      assert.doesNotMatch(secondRun, /crash recovery/i, secondRun);
      const down = d.ctl(['shutdown'], 60_000);
      assert.equal(down.status, 0, down.stderr);
      assert.equal((errorLog().match(/mariadbd: Shutdown complete/g) ?? []).length, 2);
    });
  },
);
