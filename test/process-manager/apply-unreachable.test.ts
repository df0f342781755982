/**
 * plan and apply on a stack whose process manager cannot be reached: pm2's daemon runs but its
 * RPC socket is gone, or the daemon was killed and its program lives on as an orphan. Both are
 * PM2_DAEMON_FAILED (exit 3, an environment error), said before anything is installed: the tree
 * (its installed state and the supervisor part's files) is byte for byte what it was, and the
 * running program is untouched.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { readFileSync, renameSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { freePorts } from '../helpers/ports';
import { alive, serverLine, supervisorPart, withSupervised, type SupervisedDeployment } from '../helpers/supervisor';
import { waitFor } from '../helpers/wait';

const TREE_FILES = ['.installed.json', 'parts/supervisor/supervisor.json', 'bin/supervisord', 'bin/supervisorctl'];

function snapshot(d: SupervisedDeployment): string[] {
  return TREE_FILES.map((file) => {
    const full = d.path(file);
    return `${file} ${statSync(full).mtimeMs} ${readFileSync(full, 'utf8')}`;
  });
}

function config(panel: number, web: number, delayMs: number): string {
  return `[buildout]\nparts = supervisor\n${supervisorPart(panel)}programs =\n    ${serverLine(10, 'web', web, { delayMs })}\n`;
}

function assertRefused(d: SupervisedDeployment, command: string, why: RegExp, before: string[]): void {
  const result = d.run(command);
  assert.equal(result.status, 3, `${command} exits 3 (environment):\n${result.stderr}`);
  assert.match(result.stderr, /PM2_DAEMON_FAILED/);
  assert.match(result.stderr, why);
  assert.doesNotMatch(result.stderr, /internal error/i);
  assert.deepEqual(snapshot(d), before, `${command} changed nothing in the tree`);
}

test(
  'an unreachable process manager: plan and apply exit 3 with PM2_DAEMON_FAILED and change nothing',
  { timeout: 180_000 },
  async () => {
    const [panel, web] = await freePorts(2);
    await withSupervised(config(panel, web, 0), async (d) => {
      d.assembleOrFail();
      d.startOrFail();
      const pid = d.program('web').pid as number;
      // a change apply would carry out: web's command line
      d.write('buildout.cfg', config(panel, web, 5));
      const before = snapshot(d);
      const home = d.config().pm2Home;

      // the daemon runs, its RPC socket is gone
      renameSync(path.join(home, 'rpc.sock'), path.join(home, 'rpc.sock.aside'));
      try {
        assertRefused(d, 'plan', /does not answer on its sockets .*rpc\.sock/, before);
        assertRefused(d, 'apply', /does not answer on its sockets .*rpc\.sock/, before);
      } finally {
        renameSync(path.join(home, 'rpc.sock.aside'), path.join(home, 'rpc.sock'));
      }
      // reachable again: the same change is planned as a restart (so the refusals were the socket's)
      const planned = d.run('plan', '--json');
      assert.equal(planned.status, 0, planned.stderr);
      const runtime = (
        JSON.parse(planned.stdout) as { runtime: { programs: Array<{ program: string; action: string }> } }
      ).runtime;
      assert.deepEqual(
        runtime.programs.filter((p) => p.program === 'web').map((p) => p.action),
        ['restart'],
      );

      // the daemon killed: web lives on as an orphan
      const daemon = d.daemonPid()!;
      process.kill(daemon, 'SIGKILL');
      await waitFor(() => !alive(daemon), { what: "pm2's daemon to die", timeoutMs: 10_000 });
      assertRefused(d, 'apply', new RegExp(`gone .*still run: web \\(pid ${pid}\\)`), before);
      assertRefused(d, 'plan', new RegExp(`web \\(pid ${pid}\\)`), before);
      assert.ok(alive(pid), 'web still runs, untouched');
    });
  },
);
