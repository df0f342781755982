/**
 * Two deployments on one machine, with the same program names: each has its own short pm2 home
 * and daemon, sees only its own programs, and stopping or shutting down one leaves the other
 * running. No pm2 command touches ~/.pm2.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { freePorts, isListening } from '../helpers/ports';
import { alive, serverLine, SupervisedDeployment } from '../helpers/supervisor';

function config(panel: number, web: number, api: number): string {
  return (
    `[buildout]\nparts = supervisor\n[supervisor]\nrecipe = supervisor\nport = 127.0.0.1:${panel}\nuser = ` +
    `admin\npassword = secret\nprograms =\n    ${serverLine(10, 'web', web)}\n    ${serverLine(20, 'api', api)}\n`
  );
}

function homeMark(): string {
  const pid = path.join(homedir(), '.pm2', 'pm2.pid');
  return existsSync(pid) ? `${statSync(pid).mtimeMs}` : 'absent';
}

test('two deployments side by side do not see or disturb each other', { timeout: 120_000 }, async () => {
  const before = homeMark();
  const ports = await freePorts(6);
  const a = new SupervisedDeployment(config(ports[0], ports[1], ports[2]));
  const b = new SupervisedDeployment(config(ports[3], ports[4], ports[5]));
  try {
    a.assembleOrFail();
    b.assembleOrFail();
    assert.notEqual(a.config().pm2Home, b.config().pm2Home);
    assert.equal(a.supervisord().status, 0);
    assert.equal(b.supervisord().status, 0);
    assert.notEqual(a.daemonPid(), b.daemonPid());
    const pidsA = a.status().programs.map((p) => p.pid);
    const pidsB = b.status().programs.map((p) => p.pid);
    assert.equal(new Set([...pidsA, ...pidsB]).size, 4, 'four distinct processes');
    assert.deepEqual(
      a.status().programs.map((p) => p.address),
      [`127.0.0.1:${ports[1]}`, `127.0.0.1:${ports[2]}`],
    );

    assert.equal(a.ctl(['stop', 'web']).status, 0);
    assert.equal(await isListening(ports[1]), false);
    assert.equal(await isListening(ports[4]), true, 'b/web is untouched');
    assert.equal(b.program('web').pid, pidsB[0]);

    const down = a.ctl(['shutdown']);
    assert.equal(down.status, 0, down.stderr);
    for (const pid of pidsA) assert.equal(alive(pid), false);
    assert.deepEqual(
      b.status().programs.map((p) => [p.state, p.pid]),
      [
        ['RUNNING', pidsB[0]],
        ['RUNNING', pidsB[1]],
      ],
    );
    assert.equal(b.ctl(['shutdown']).status, 0);
    assert.equal(homeMark(), before, '~/.pm2 was not touched');
  } finally {
    a.teardown();
    b.teardown();
  }
});
