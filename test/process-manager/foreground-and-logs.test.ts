/**
 * `supervisord -n` stays in the foreground (for systemd or a container) and stops everything on
 * SIGTERM; program logs are rotated by size in the tree with a bounded number kept, in order,
 * with at most the output pm2 still buffers when it reopens its files lost per rotation
 * (log-rotation.ts says why; the count is printed).
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePorts, isListening } from '../helpers/ports';
import { NODE, ROOT_FIXTURES, alive, serverLine, withSupervised, supervisorPart } from '../helpers/supervisor';
import { waitFor, within } from '../helpers/wait';
import { inode } from '../helpers/inode';

test(
  'supervisord -n runs in the foreground and stops everything on SIGTERM; logs rotate by size, bounded, in order',
  { timeout: 120_000 },
  async () => {
    const [panel, web] = await freePorts(2);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}logfile-maxbytes = 16KB
logfile-backups = 2
programs =
    ${serverLine(10, 'web', web)}
    20 chatty (startsecs=0) ${NODE} [${path.join(ROOT_FIXTURES, 'programs', 'chatty.js')}]
`,
      async (d) => {
        d.assembleOrFail();
        const child = d.supervisordForeground();
        let stderr = '';
        child.stderr!.on('data', (chunk) => {
          stderr += chunk;
        });
        const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
        await waitFor(() => /all 2 programs ready/.test(stderr), {
          what: 'all programs ready',
          timeoutMs: 30_000,
          intervalMs: 100,
        });
        assert.equal(d.program('web').state, 'RUNNING');
        const log = d.path('var', 'log', 'chatty.log');
        await waitFor(() => existsSync(`${log}.2`), { what: 'two rotations', timeoutMs: 30_000, intervalMs: 100 });
        // one more rotation shifts .1 to .2 (a new inode there): past the bound, nothing went to .3
        const second = inode(`${log}.2`);
        const shifted = (): boolean => inode(`${log}.2`) !== undefined && inode(`${log}.2`) !== second;
        await waitFor(shifted, { what: 'a third rotation', timeoutMs: 30_000, intervalMs: 100 });
        assert.equal(existsSync(`${log}.3`), false, 'at most logfile-backups old files are kept');
        const pids = d.status().programs.map((p) => p.pid as number);
        const daemon = d.daemonPid()!;

        child.kill('SIGTERM');
        const code = await within(exited, { what: 'supervisord -n to exit on SIGTERM', timeoutMs: 30_000 });
        assert.equal(code, 0, stderr);
        assert.match(stderr, /SIGTERM: stopping every program in reverse order/);
        for (const pid of [...pids, daemon]) assert.equal(alive(pid), false, `pid ${pid} still alive`);
        assert.equal(await isListening(web), false);
        assert.equal(await isListening(panel), false);

        // the numbered lines run on from the oldest kept file to the current one, in order; a gap
        // can only be a chunk pm2 dropped at a reopen (at most one per rotation, a few lines each)
        const numbers = [`${log}.2`, `${log}.1`, log]
          .flatMap((file) => readFileSync(file, 'utf8').split('\n'))
          .map((line) => /line (\d{8}) x+$/.exec(line)?.[1])
          .filter((n): n is string => !!n)
          .map(Number);
        assert.ok(numbers.length > 300, `only ${numbers.length} lines`);
        const gaps: number[] = [];
        for (let i = 1; i < numbers.length; i++) {
          assert.ok(
            numbers[i] > numbers[i - 1],
            `line ${numbers[i]} after line ${numbers[i - 1]}: out of order or duplicated`,
          );
          if (numbers[i] !== numbers[i - 1] + 1) gaps.push(numbers[i] - numbers[i - 1] - 1);
        }
        const files = [`${log}.2`, `${log}.1`].length;
        assert.ok(
          gaps.length <= files && gaps.every((g) => g <= 16),
          `lines lost beyond pm2's reopen: gaps ${gaps.join(', ')}`,
        );
        console.log(
          `log rotation: ${numbers.length} lines across 3 files, ${gaps.reduce((a, b) => a + b, 0)} lost at ` +
            `pm2's reopens`,
        );
      },
    );
  },
);
