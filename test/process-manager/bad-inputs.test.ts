/**
 * Bad inputs get one clear paragraph and exit status 2 (a program that fails to come up: 1),
 * and leave nothing running: an unknown program name, a command that does not exist (at
 * assembly for a system path, at start for one inside the tree), a port already taken (the
 * error names the holder's pid and command), a malformed programs line, a program that exits or
 * never gets ready (its exit code and last log lines).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as net from 'node:net';
import { freePorts, isListening } from '../helpers/ports';
import { NODE, TEST_SERVER, serverLine, withSupervised } from '../helpers/supervisor';

function header(panel: number, extra = ''): string {
  return (
    `[buildout]\nparts = supervisor\n[supervisor]\nrecipe = supervisor\nport = 127.0.0.1:${panel}\nuser = ` +
    `admin\npassword = secret\n${extra}programs =\n`
  );
}

test('unknown names and commands: exit 2 with a suggestion, no daemon spawned', { timeout: 60_000 }, async () => {
  const [panel, web] = await freePorts(2);
  await withSupervised(`${header(panel)}    ${serverLine(10, 'web', web)}\n`, (d) => {
    d.assembleOrFail();
    const notRunning = d.ctl(['start', 'web']);
    assert.equal(notRunning.status, 2);
    assert.match(notRunning.stderr, /error\[NOT_RUNNING\]: supervisord is not running/);
    assert.equal(d.supervisord().status, 0);
    const unknown = d.ctl(['stop', 'wbe']);
    assert.equal(unknown.status, 2);
    assert.match(
      unknown.stderr,
      /error\[UNKNOWN_PROGRAM\]: there is no program named "wbe" in this deployment\n\s+hint: did you mean "web"\? programs: web;/,
    );
    const command = d.ctl(['statsu']);
    assert.equal(command.status, 2);
    assert.match(command.stderr, /error\[BAD_USAGE\]: unknown command "statsu"\n\s+hint: did you mean "status"\?/);
    const twice = d.supervisord();
    assert.equal(twice.status, 2);
    assert.match(twice.stderr, /error\[ALREADY_RUNNING\]/);
    assert.equal(d.program('web').state, 'RUNNING');
  });
});

test(
  'a command that does not exist: at assembly (system path) and at start (inside the tree)',
  { timeout: 60_000 },
  async () => {
    const [panel, web] = await freePorts(2);
    await withSupervised(`${header(panel)}    10 ghost /nonexistent/bin/ghostd [--foreground]\n`, (d) => {
      const r = d.run();
      assert.equal(r.status, 2);
      assert.match(r.stderr, /error\[BAD_OPTION\]: program "ghost": command \/nonexistent\/bin\/ghostd does not exist/);
      assert.match(r.stderr, /buildout\.cfg:\d+:\d+\s+\[supervisor\] programs/);
      d.write(
        'buildout.cfg',
        `${header(panel)}    ${serverLine(10, 'web', web)}\n    20 inside \${buildout:directory}/bin/not-built-yet\n`,
      );
      d.assembleOrFail();
      const start = d.supervisord();
      assert.equal(start.status, 2, start.stderr);
      assert.match(
        start.stderr,
        /error\[COMMAND_NOT_FOUND\]: program "inside": its command \/.*\/bin\/not-built-yet does not exist or is not executable/,
      );
      assert.equal(d.daemonPid(), undefined, 'no daemon was spawned for a start that cannot succeed');
    });
  },
);

test('a port already taken: the error names the holder, nothing is started', { timeout: 60_000 }, async () => {
  const [panel, web] = await freePorts(2);
  const holder = net.createServer();
  await new Promise<void>((resolve) => holder.listen(web, '127.0.0.1', resolve));
  try {
    await withSupervised(`${header(panel)}    ${serverLine(10, 'web', web)}\n`, async (d) => {
      d.assembleOrFail();
      const start = d.supervisord();
      assert.equal(start.status, 2, start.stderr);
      assert.match(
        start.stderr,
        new RegExp(
          `error\\[PORT_TAKEN\\]: program "web" cannot listen on 127\\.0\\.0\\.1:${web}: port ${web} is ` +
            `already taken by pid ${process.pid} \\(${NODE.replace(/\//g, '\\/')} `,
        ),
      );
      assert.equal(await isListening(panel), false, 'nothing was started');
      assert.equal(d.daemonPid(), undefined, 'no daemon was spawned');
    });
  } finally {
    holder.close();
  }
});

test('a malformed programs line is an error at assembly, located at the option', async () => {
  const [panel] = await freePorts(1);
  await withSupervised(`${header(panel)}    ten web /usr/bin/true\n`, (d) => {
    const r = d.run();
    assert.equal(r.status, 2);
    assert.match(r.stderr, /error\[BAD_OPTION\]: program line incorrect: "ten web \/usr\/bin\/true"/);
    assert.match(r.stderr, /hint: write "priority name \[\(key=value \.\.\.\)\] command/);
  });
});

test(
  'a program that exits, or never gets ready: exit 1 with its exit code and last log lines; the start is undone',
  { timeout: 90_000 },
  async () => {
    const [panel, first, dies, never] = await freePorts(4);
    await withSupervised(
      `${header(panel)}    ${serverLine(10, 'first', first)}
    20 dies (ready=127.0.0.1:${dies}) ${NODE} [${TEST_SERVER} ${dies} 5000 100 7]
`,
      async (d) => {
        d.assembleOrFail();
        const start = d.supervisord();
        assert.equal(start.status, 1, start.stderr);
        assert.match(
          start.stderr,
          /error\[NOT_READY\]: program "dies" exited after [\d.]+ s, before port 127\.0\.0\.1:\d+ was ready \(exit code 7\)/,
        );
        assert.match(start.stderr, /last lines of .*var\/log\/dies\.err\.log:\n\s+.*crashing with 7/);
        assert.match(start.stderr, /start failed: stopping what was started/);
        assert.equal(await isListening(first), false, 'first was stopped again');
        assert.equal(await isListening(panel), false);
        d.write(
          'buildout.cfg',
          `${header(panel)}    20 never (ready=127.0.0.1:${never} ready-timeout=1s) ${NODE} [${TEST_SERVER} ` +
            `${never} 60000]\n`,
        );
        d.assembleOrFail();
        const slow = d.supervisord();
        assert.equal(slow.status, 1, slow.stderr);
        assert.match(
          slow.stderr,
          /error\[NOT_READY\]: program "never" was not ready within 1\.0 s: waited for port 127\.0\.0\.1:\d+/,
        );
        assert.match(slow.stderr, /started server-\d+ at/);
        assert.ok(slow.ms < 20_000, `took ${slow.ms} ms`);
      },
    );
  },
);
