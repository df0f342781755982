/**
 * SIGKILL in the middle of a part: the state file stays valid (the parts before are recorded),
 * and the next run removes exactly what the killed part had made, then installs it. SIGINT: the
 * run undoes the part itself and exits 130.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { Deployment } from '../helpers/deployment';
import { ASSEMBLE } from '../helpers/paths';
import { exitOf, waitFor, within } from '../helpers/wait';

const DEMO = 'zetaserver-recipe-demo';

test('SIGKILL while a part installs: the state stays valid and the next run undoes and resumes', async () => {
  const d = new Deployment(`[buildout]
parts = first slow last
[first]
recipe = ${DEMO}
content = first
[slow]
recipe = ${DEMO}:slow
marker = \${buildout:directory}/halfway
wait-ms = 60000
[last]
recipe = ${DEMO}
content = last
`);
  try {
    const child = spawn(ASSEMBLE, [], { cwd: d.dir, stdio: 'ignore' });
    try {
      await waitFor(() => existsSync(d.path('halfway')), { what: 'the slow part to be halfway', timeoutMs: 20_000 });
      assert.ok(existsSync(d.path('parts/slow/file-2.txt')));
    } finally {
      child.kill('SIGKILL');
      await within(exitOf(child), { what: 'bin/assemble to die of SIGKILL', timeoutMs: 10_000 });
    }
    const state = JSON.parse(readFileSync(d.path('.installed.json'), 'utf8'));
    assert.deepEqual(state.order, ['first'], 'the finished part is recorded, the killed one is not');
    const journal = JSON.parse(readFileSync(d.path('.installed.json.journal'), 'utf8'));
    assert.equal(journal.part, 'slow');
    assert.ok(journal.paths.some((p: string) => p.endsWith('parts/slow')));

    const plan = d.run('plan');
    assert.match(plan.stdout, /undo\s+slow: a previous run stopped while installing it/);
    d.write('buildout.cfg', d.read('buildout.cfg').replace('wait-ms = 60000', 'wait-ms = 1'));
    const r = d.run();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /a previous run stopped while working on \[slow\]; what it had made was removed/);
    assert.doesNotMatch(r.stderr, /install\s+first/, 'the finished part is not redone');
    assert.deepEqual(d.state().order, ['first', 'slow', 'last']);
    assert.ok(!d.exists('.installed.json.journal'));
  } finally {
    d.cleanup();
  }
});

/** The interrupt comes while the recipe's own code waits, or while a command it runs does (killed with it). */
for (const where of ['in the recipe', 'in a command it runs']) {
  test(
    `SIGINT while a part installs (${where}): the part is undone, and the run exits 130 with INTERRUPTED`,
    {
      timeout: 60_000,
    },
    async () => {
      const d = new Deployment(`[buildout]
parts = first slow last
[first]
recipe = ${DEMO}
content = first
[slow]
recipe = ${DEMO}:slow
marker = \${buildout:directory}/halfway
wait-ms = ${where === 'in the recipe' ? 1500 : 30000}
exec = ${where === 'in the recipe' ? '' : 'yes'}
[last]
recipe = ${DEMO}
content = last
`);
      const env = { ...process.env, NO_COLOR: '1' };
      const child = spawn(ASSEMBLE, [], { cwd: d.dir, stdio: ['ignore', 'ignore', 'pipe'], env });
      try {
        let stderr = '';
        child.stderr!.on('data', (chunk) => (stderr += chunk));
        // 'close': the exit, and stderr read to its end
        const closed = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
        await waitFor(() => existsSync(d.path('halfway')), { what: 'the slow part to be halfway', timeoutMs: 20_000 });
        child.kill('SIGINT');
        const status = await within(closed, { what: 'bin/assemble to stop after SIGINT', timeoutMs: 40_000 });
        assert.equal(status, 130, stderr);
        assert.match(stderr, /interrupted: stopping the current part and undoing it/);
        assert.match(stderr, /error\[INTERRUPTED\]: the run was interrupted\n[^]*hint: run again/);
        assert.doesNotMatch(stderr, /internal error|a bug|EXEC_FAILED/i);
        assert.ok(!existsSync(d.path('parts/slow')), 'what the interrupted part made is removed');
        assert.deepEqual(d.state().order, ['first']);
        assert.ok(!existsSync(d.path('.installed.json.journal')));
      } finally {
        if (child.exitCode === null) child.kill('SIGKILL');
        d.cleanup();
      }
    },
  );
}
