/**
 * After plan and apply refused a stack whose pm2 daemon was killed (apply-unreachable.test.ts),
 * the way back: bin/supervisord takes the programs left running over, and then plan shows the
 * pending change and only it (a program that did not change is untouched, also when its line
 * names no user), apply does exactly that, and plan --exit-code exits 0 after it. A daemon
 * killed with nothing of it left running is a stack that is not running: plan is not refused.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { freePorts } from '../helpers/ports';
import {
  alive,
  killTree,
  serverLine,
  supervisorPart,
  withSupervised,
  type SupervisedDeployment,
} from '../helpers/supervisor';
import { waitFor } from '../helpers/wait';

interface Report {
  runtime: { running: boolean; programs: Array<{ program: string; action: string; why?: string[] }> };
}

function config(panel: number, web1: number, web2: number, delayMs: number): string {
  return `[buildout]
parts = supervisor
${supervisorPart(panel)}programs =
    ${serverLine(10, 'web1', web1)}
    ${serverLine(20, 'web2', web2, { delayMs })}
`;
}

async function killDaemon(d: SupervisedDeployment): Promise<void> {
  const daemon = d.daemonPid()!;
  process.kill(daemon, 'SIGKILL');
  await waitFor(() => !alive(daemon), { what: "pm2's daemon to die", timeoutMs: 10_000 });
}

function planned(d: SupervisedDeployment): Report['runtime'] {
  const result = d.run('plan', '--json');
  assert.equal(result.status, 0, result.stderr);
  return (JSON.parse(result.stdout) as Report).runtime;
}

test(
  'a killed daemon: refused, then bin/supervisord takes over and apply does exactly what plan shows',
  { timeout: 240_000 },
  async () => {
    const [panel, web1, web2] = await freePorts(3);
    await withSupervised(config(panel, web1, web2, 0), async (d) => {
      d.assembleOrFail();
      d.startOrFail();
      // nothing changed: every program untouched (the lines name no user)
      assert.deepEqual(
        planned(d).programs.map((p) => `${p.program} ${p.action}`),
        ['web1 untouched', 'web2 untouched'],
      );
      d.write('buildout.cfg', config(panel, web1, web2, 5));
      const pids = Object.fromEntries(d.status().programs.map((p) => [p.name, p.pid as number]));

      await killDaemon(d);
      const refused = d.run('apply');
      assert.equal(refused.status, 3, refused.stderr);
      assert.match(refused.stderr, /PM2_DAEMON_FAILED/);
      assert.match(refused.stderr, new RegExp(`web1 \\(pid ${pids.web1}\\)`));
      assert.match(refused.stderr, new RegExp(`web2 \\(pid ${pids.web2}\\)`));

      // bin/supervisord takes them over (with the configuration as installed: apply wrote nothing)
      d.startOrFail();
      const runtime = planned(d);
      assert.equal(runtime.running, true);
      assert.deepEqual(
        runtime.programs.map((p) => `${p.program} ${p.action}`),
        ['web1 untouched', 'web2 restart'],
        JSON.stringify(runtime.programs),
      );
      const applied = d.run('apply');
      assert.equal(applied.status, 0, applied.stderr);
      assert.match(applied.stderr, /applied +restart web2/);
      assert.doesNotMatch(applied.stderr, /changed since the plan/);
      const after = d.run('plan', '--exit-code');
      assert.equal(after.status, 0, `plan after apply: ${after.stdout}${after.stderr}`);

      // the daemon killed and its programs too: a stack that is not running, so plan is not refused
      const now = d.status().programs.map((p) => p.pid as number);
      await killDaemon(d);
      for (const pid of now) killTree(pid);
      await waitFor(() => now.every((pid) => !alive(pid)), { what: 'the programs to die', timeoutMs: 10_000 });
      // (the agent exits by itself once it sees its daemon gone; until then it is one left running)
      let last = '';
      await waitFor(
        () => {
          const result = d.run('plan', '--json');
          last = result.stderr;
          return result.status === 0 && (JSON.parse(result.stdout) as Report).runtime.running === false;
        },
        { what: 'plan to see a stack that is not running', timeoutMs: 20_000, intervalMs: 250, detail: () => last },
      );
    });
  },
);
