/**
 * `supervisorctl update` after a re-assembly touches only what changed: an unchanged program
 * keeps its pid, a changed one is restarted, a removed one is stopped and forgotten, a new one is
 * started, and one whose only change is its configuration file is reloaded (SIGHUP), not
 * restarted. Declared programs come from a recipe package, as service recipes declare them. A
 * program whose executable is a file of the tree restarts when that file is rebuilt at the same
 * path (by hand, or by a build part: then the plan says so before the build).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { freePorts, isListening } from '../helpers/ports';
import { NODE, TEST_SERVER, serverLine, withSupervised, supervisorPart } from '../helpers/supervisor';

function config(ports: number[], version: 1 | 2): string {
  const [panel, keep, change, gone, added, reloader] = ports;
  return `[buildout]
parts = reloader supervisor
[reloader]
recipe = zetaserver-recipe-demo:program
port = ${reloader}
priority = 5
command = ${NODE} ${TEST_SERVER} ${reloader}
config-file = \${buildout:directory}/etc/reloader.conf
reload-signal = SIGHUP
environment = PROGRAM_NAME=reloader
${supervisorPart(panel)}programs =
    ${serverLine(10, 'keep', keep)}
    ${serverLine(20, 'change', change, { delayMs: version === 1 ? 0 : 10 })}
    ${version === 1 ? serverLine(20, 'gone', gone) : serverLine(30, 'added', added)}
`;
}

test(
  'update restarts only what changed, reloads where it can, stops removed and starts new programs',
  { timeout: 120_000 },
  async () => {
    const ports = await freePorts(6);
    const [, , , gone, added] = ports;
    await withSupervised(config(ports, 1), async (d) => {
      d.write('etc/reloader.conf', 'version 1\n');
      d.assembleOrFail();
      assert.equal(d.supervisord().status, 0);
      const before = Object.fromEntries(d.status().programs.map((p) => [p.name, p.pid]));
      assert.deepEqual(Object.keys(before).sort(), ['change', 'gone', 'keep', 'reloader']);
      const quiet = d.ctl(['update']);
      assert.equal(quiet.status, 0, quiet.stderr);
      const unchanged = quiet.stderr
        .match(/update: unchanged: (.*)/)?.[1]
        .split(', ')
        .sort();
      assert.deepEqual(unchanged, ['change', 'gone', 'keep', 'reloader']);

      d.write('buildout.cfg', config(ports, 2));
      d.write('etc/reloader.conf', 'version 2\n');
      d.assembleOrFail();
      const planned = d.ctl(['update', '--plan', '--json']);
      assert.equal(planned.status, 0, planned.stderr);
      type Plan = { running: boolean; changes: Array<{ program: string; action: string; why?: string[] }> };
      const plan = JSON.parse(planned.stdout) as Plan;
      assert.equal(plan.running, true);
      const actions = (changes: Array<{ program: string; action: string }>): string[] =>
        changes.map((c) => `${c.program} ${c.action}`);
      assert.deepEqual(actions(plan.changes), [
        'gone stop',
        'reloader reload',
        'keep untouched',
        'change restart',
        'added start',
      ]);
      assert.match(plan.changes[3].why!.join(), /its command line changed: .*-> /);
      const r = d.ctl(['update', '--json']);
      assert.equal(r.status, 0, r.stderr);
      const { done } = JSON.parse(r.stdout) as { done: Array<{ program: string; action: string }> };
      assert.deepEqual(actions(done), actions(plan.changes), 'what was done is what was planned');
      assert.match(r.stderr, /update: plan: restart change: its command line changed/);
      assert.match(r.stderr, /update: stopped gone in \d+\.\d\d s/);
      assert.match(r.stderr, /update: reloaded reloader in \d+\.\d\d s \(SIGHUP to its main process\)/);
      assert.match(r.stderr, /update: restarted change in /);
      assert.match(r.stderr, /update: started added in /);
      assert.match(r.stderr, /update: unchanged: keep\n/);
      const again = JSON.parse(d.ctl(['update', '--plan', '--json']).stdout) as Plan;
      assert.deepEqual(
        again.changes.filter((c) => c.action !== 'untouched'),
        [],
        'after update nothing is left to do',
      );

      const after = Object.fromEntries(d.status().programs.map((p) => [p.name, p]));
      assert.deepEqual(Object.keys(after).sort(), ['added', 'change', 'keep', 'reloader']);
      assert.equal(after.keep.pid, before.keep, 'keep was not touched');
      assert.equal(after.reloader.pid, before.reloader, 'reloader was reloaded, not restarted');
      assert.notEqual(after.change.pid, before.change, 'change was restarted');
      assert.equal(after.added.state, 'RUNNING');
      assert.equal(await isListening(gone), false, 'gone was stopped');
      assert.equal(await isListening(added), true);
      assert.match(d.read('var/log/reloader.log'), /reloader got SIGHUP: reloading/);
      assert.doesNotMatch(d.read('var/log/keep.log'), /SIGTERM|SIGHUP/);
    });
  },
);

test(
  'a program whose executable is a file of the tree restarts when that file is rebuilt at the same path',
  { timeout: 120_000 },
  async () => {
    const [panel, port] = await freePorts(2);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}programs =
    10 built (listen=127.0.0.1:${port}) \${buildout:directory}/bin/server [${port} 0]
`,
      async (d) => {
        // what a build part does: the same path, new contents
        const build = (n: number): void => {
          d.write('bin/server', `#!/bin/sh\n# build ${n}\nexec ${NODE} ${TEST_SERVER} "$@"\n`);
          chmodSync(d.path('bin/server'), 0o755);
        };
        build(1);
        d.assembleOrFail();
        d.startOrFail();
        const pid = (): number => d.status().programs.find((p) => p.name === 'built')!.pid;
        const before = pid();
        type Plan = { changes: Array<{ program: string; action: string; why?: string[] }> };
        const plan = (): Plan['changes'][number] =>
          (JSON.parse(d.ctl(['update', '--plan', '--json']).stdout) as Plan).changes.find(
            (c) => c.program === 'built',
          )!;
        assert.equal(plan().action, 'untouched', 'the same build');
        build(2);
        assert.equal(plan().action, 'restart');
        assert.match(plan().why!.join(), /its executable changed \(.*\/bin\/server\)/);
        const r = d.ctl(['update']);
        assert.equal(r.status, 0, r.stderr);
        assert.match(r.stderr, /update: restarted built in /);
        assert.notEqual(pid(), before, 'the new build runs');
        assert.equal(plan().action, 'untouched', 'nothing left to do');
      },
    );
  },
);

test(
  'a build part that rebuilds a program executable: plan says the program restarts, apply restarts it',
  { timeout: 120_000 },
  async () => {
    const [panel, port] = await freePorts(2);
    // the demo recipe's default writes `content` to parts/NAME/FILE at install: a build's output
    const config = (build: number): string => `[buildout]
parts = server supervisor
[server]
recipe = zetaserver-recipe-demo
file = server
mode = 0755
content =
    #!/bin/sh
    # build ${build}
    exec ${NODE} ${TEST_SERVER} "$@"
${supervisorPart(panel)}programs =
    10 built (listen=127.0.0.1:${port}) \${server:location}/server [${port} 0]
`;
    await withSupervised(config(1), async (d) => {
      d.assembleOrFail();
      d.startOrFail();
      const pid = (): number => d.status().programs.find((p) => p.name === 'built')!.pid;
      const before = pid();
      type Report = { runtime: { programs: Array<{ program: string; action: string; why?: string[] }> } };
      const planned = (): Report['runtime']['programs'][number] => {
        const result = d.run('plan', '--json');
        assert.equal(result.status, 0, result.stderr);
        return (JSON.parse(result.stdout) as Report).runtime.programs.find((p) => p.program === 'built')!;
      };
      assert.equal(planned().action, 'untouched');
      d.write('buildout.cfg', config(2));
      const plan = planned();
      assert.equal(plan.action, 'restart', JSON.stringify(plan));
      assert.match(plan.why!.join(), /its executable changed \(.*\/parts\/server\/server\)/);
      const applied = d.run('apply');
      assert.equal(applied.status, 0, applied.stderr);
      assert.match(applied.stderr, /applied +restart built in /);
      assert.notEqual(pid(), before, 'the new build runs');
      assert.equal(planned().action, 'untouched', 'nothing left to do');
    });
  },
);
