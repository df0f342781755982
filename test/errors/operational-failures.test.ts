/**
 * Failures of the environment or of generated files are errors with a code, a hint and the
 * catalogue's exit status, never "internal error ... a bug": the process manager's configuration
 * out of step with its pm2 ecosystem, an ecosystem or supervisor.json that cannot be read, a pm2
 * home that cannot be made, Porter's lock held by another live process or its directory
 * impossible to make. Each is provoked for real, through the real programs.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePort, freePorts } from '../helpers/ports';
import { tempDir } from '../helpers/paths';
import { waitFor } from '../helpers/wait';
import { serverLine, supervisorPart, withSupervised } from '../helpers/supervisor';
import type { CommandResult, SupervisedDeployment } from '../helpers/supervisor';
import { porter, porterDeployment } from '../helpers/porter';
import { catalogue, type ErrorCode } from '../../src/errors/catalogue';
import { isZetaError } from '../../src/errors/zeta-error';
import { formatError } from '../../src/errors/print';
import { paletteForTerminal } from '../../src/util/color';
import { withLock } from '../../programs/porter/lock';

/** The run failed with `code`, its catalogue status and a hint, and says nothing of a bug. */
function assertReported(run: { status: number | null; stderr: string }, code: ErrorCode, message: RegExp): void {
  assert.equal(run.status, catalogue[code].status, run.stderr);
  assert.match(run.stderr, new RegExp(`^error\\[${code}\\]: `), run.stderr);
  assert.match(run.stderr, message);
  assert.match(run.stderr, /\n {2}hint: \S/, 'a hint');
  assert.doesNotMatch(run.stderr, /internal error|a bug/i);
}

function supervised(panel: number, web: number): string {
  return `[buildout]\nparts = supervisor\n${supervisorPart(panel)}programs =\n    ${serverLine(10, 'web', web)}\n`;
}

/** bin/supervisord with supervisor.json changed by `change`; the file is put back afterwards. */
function startWith(d: SupervisedDeployment, change: (config: Record<string, unknown>) => void): CommandResult {
  const file = d.path('parts', 'supervisor', 'supervisor.json');
  const original = d.read('parts/supervisor/supervisor.json');
  const config = JSON.parse(original) as Record<string, unknown>;
  change(config);
  writeFileSync(file, JSON.stringify(config));
  try {
    return d.supervisord();
  } finally {
    writeFileSync(file, original);
  }
}

test(
  "the process manager's files out of step or unreadable: SUPERVISOR_CONFIG, exit 2, no daemon",
  {
    timeout: 120_000,
  },
  async () => {
    const [panel, web] = await freePorts(2);
    await withSupervised(supervised(panel, web), (d) => {
      d.assembleOrFail();
      const ecosystem = d.path('parts', 'supervisor', 'ecosystem.json');
      const stale = d.path('parts', 'supervisor', 'stale-ecosystem.json');
      writeFileSync(stale, JSON.stringify({ apps: [] }));
      assertReported(
        startWith(d, (c) => {
          c.ecosystem = stale;
        }),
        'SUPERVISOR_CONFIG',
        /program web is missing from the pm2 ecosystem \S+stale-ecosystem\.json, which \S+supervisor\.json names/,
      );
      assert.equal(d.daemonPid(), undefined, 'no daemon was spawned');

      assertReported(
        startWith(d, (c) => {
          c.ecosystem = `${ecosystem}.gone`;
        }),
        'SUPERVISOR_CONFIG',
        /cannot read the pm2 ecosystem \S+ecosystem\.json\.gone, which \S+supervisor\.json names: ENOENT/,
      );
      assert.equal(d.daemonPid(), undefined, 'no daemon was spawned');

      const config = d.path('parts', 'supervisor', 'supervisor.json');
      const original = d.read('parts/supervisor/supervisor.json');
      writeFileSync(config, original.slice(0, original.length / 2));
      const truncated = /supervisor\.json is not the JSON the supervisor part writes/;
      try {
        assertReported(d.supervisord(), 'SUPERVISOR_CONFIG', truncated);
        assertReported(d.ctl(['status']), 'SUPERVISOR_CONFIG', truncated);
      } finally {
        writeFileSync(config, original);
      }
      assert.equal(d.supervisord().status, 0, 'the files as written start');
      assert.equal(d.program('web').state, 'RUNNING');
    });
  },
);

test("pm2's home cannot be made: PM2_DAEMON_FAILED, exit 3, nothing started", { timeout: 120_000 }, async () => {
  const [panel, web] = await freePorts(2);
  await withSupervised(supervised(panel, web), async (d) => {
    d.assembleOrFail();
    // a path through a regular file: no user, root included, can make it
    d.write('not-a-directory', 'a file\n');
    const home = d.path('not-a-directory', 'pm2');
    const run = startWith(d, (c) => {
      c.pm2Home = home;
    });
    const escaped = home.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    assertReported(run, 'PM2_DAEMON_FAILED', new RegExp(`cannot make ${escaped} for pm2's daemon: ENOTDIR`));
    assert.equal(d.daemonPid(), undefined, 'no daemon of the real home either');
  });
});

test(
  "Porter's lock directory cannot be made: PORTER_LOCK_FAILED, exit 3, nothing changed",
  {
    timeout: 120_000,
  },
  async (t) => {
    const listen = `127.0.0.1:${await freePort()}`;
    const d = porterDeployment(
      `[buildout]\nparts = porter\n[porter]\nrecipe = porter\nlisten = ${listen}\nworkers = 1\n` +
        'routes =\n    site.test -> 127.0.0.1:9\n',
    );
    t.after(() => d.cleanup());
    assert.equal(d.run().status, 0);
    const conf = d.read('parts/porter/nginx.conf');
    // the table's directory replaced by a file: the lock file cannot be opened, or its directory made
    rmSync(d.path('var', 'porter', 'porter'), { recursive: true, force: true });
    d.write('var/porter/porter', 'not a directory\n');
    const run = await porter(d, 'add', 'new.test', '127.0.0.1:9');
    const cannotMake = /cannot lock \S+routes\.lock: EEXIST: file already exists, mkdir '\S+\/porter'/;
    assertReported(run, 'PORTER_LOCK_FAILED', cannotMake);
    assert.match(run.stderr, /\n {2}while: running bin\/porter add new\.test 127\.0\.0\.1:9\n$/);
    assert.equal(d.read('parts/porter/nginx.conf'), conf, 'nginx.conf is unchanged');
  },
);

/** Waits until `file` is locked by another process, or (`locked` false) by none. */
function waitForLock(file: string, locked: boolean): Promise<boolean> {
  // flock -n fails at once while another process holds the lock
  const held = (): boolean => spawnSync('flock', ['--nonblock', file, 'true']).status !== 0;
  const what = `${file} to be ${locked ? 'locked' : 'released'}`;
  return waitFor(() => held() === locked, { what, timeoutMs: 10_000 });
}

/** SIGKILL to a process group (flock and the command that inherited its lock). */
function killGroup(leader: ChildProcess): void {
  try {
    process.kill(-leader.pid!, 'SIGKILL');
  } catch {
    /* gone */
  }
}

test(
  "Porter's lock held by another live process for the whole wait: PORTER_LOCKED, exit 3",
  {
    timeout: 60_000,
  },
  async (t) => {
    const temp = tempDir('zeta-lock-');
    const file = path.join(temp.dir, 'routes.lock');
    // its own process group: sleep inherits the locked descriptor, and must go with flock
    const holder = spawn('flock', [file, 'sleep', '50'], { stdio: 'ignore', detached: true });
    t.after(() => {
      killGroup(holder);
      temp.cleanup();
    });
    await waitForLock(file, true);
    let ran = false;
    const error = await withLock(file, 1, async () => {
      ran = true;
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    assert.ok(isZetaError(error), `a ZetaError, not ${String(error)}`);
    assert.equal(error.code, 'PORTER_LOCKED');
    assert.equal(error.status, 3);
    assert.equal(ran, false, 'nothing ran without the lock');
    const text = formatError(error, paletteForTerminal(false));
    assert.match(text, /^error\[PORTER_LOCKED\]: another bin\/porter has held \S+routes\.lock for 1 s\n {2}hint: \S/);
    assert.doesNotMatch(text, /internal error|a bug/i);
    killGroup(holder);
    await waitForLock(file, false);
    await withLock(file, 1, async () => {
      ran = true;
    });
    assert.equal(ran, true, 'the kernel released the lock with its holder');
  },
);
