/**
 * `supervisorctl logs -f` across rotations: a program writing numbered lines fast, its log
 * rotated at 16 KB while `logs -f --grep` follows it; the lines it prints run on in order
 * through at least two rotations, each with its time, with no gap beyond what pm2 itself may drop
 * at a reopen (log-rotation.ts: at most a chunk of a few lines per rotation); every line the
 * files still hold in the followed range was printed.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { freePorts } from '../helpers/ports';
import { NODE, ROOT_FIXTURES, killTree, supervisorPart, withSupervised } from '../helpers/supervisor';
import { waitFor } from '../helpers/wait';
import { inode } from '../helpers/inode';

test(
  'logs -f follows a program across rotations, in order, each line with its time',
  { timeout: 120_000 },
  async () => {
    const [panel] = await freePorts(1);
    await withSupervised(
      `[buildout]
parts = supervisor
${supervisorPart(panel)}logfile-maxbytes = 16KB
logfile-backups = 3
programs =
    10 chatty (startsecs=0) ${NODE} [${path.join(ROOT_FIXTURES, 'programs', 'chatty.js')}]
`,
      async (d) => {
        d.assembleOrFail();
        d.startOrFail();
        const log = d.path('var', 'log', 'chatty.log');
        const child = spawn(d.path('bin', 'supervisorctl'), ['logs', 'chatty', '--grep', '^line \\d+', '-f'], {
          env: { ...process.env, HOME: d.home() },
        });
        d.children.push(child);
        let out = '';
        child.stdout.on('data', (chunk) => (out += chunk));
        try {
          // two rotations while it follows: the current file's inode changes twice
          const first = inode(log);
          await waitFor(() => inode(log) !== first && inode(log), { what: 'a rotation', timeoutMs: 30_000 });
          const second = inode(log);
          await waitFor(() => inode(log) !== second && inode(log), { what: 'a second rotation', timeoutMs: 30_000 });
          const printed = out.length;
          await waitFor(() => out.length > printed + 2000, { what: 'lines after the rotations', timeoutMs: 10_000 });
        } finally {
          killTree(child.pid!);
        }
        const lines = out.split('\n').filter((l) => / chatty /.test(l));
        for (const line of lines.slice(0, -1))
          assert.match(line, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d chatty line \d{8} x+$/, line);
        const numbers = lines.map((l) => Number(/line (\d{8})/.exec(l)?.[1])).filter((n) => n > 0);
        assert.ok(numbers.length > 300, `only ${numbers.length} lines followed`);
        const gaps: number[] = [];
        for (let i = 1; i < numbers.length; i++) {
          assert.ok(numbers[i] > numbers[i - 1], `line ${numbers[i]} after ${numbers[i - 1]}: out of order or twice`);
          if (numbers[i] !== numbers[i - 1] + 1) gaps.push(numbers[i] - numbers[i - 1] - 1);
        }
        // every line the files still hold in the followed range was printed: a gap is pm2's, not ours
        const kept = [`${log}.3`, `${log}.2`, `${log}.1`, log]
          .flatMap((file) => (existsSync(file) ? [...readFileSync(file, 'utf8').matchAll(/: line (\d{8})/g)] : []))
          .map((m) => Number(m[1]))
          .filter((n) => n >= numbers[0] && n <= numbers.at(-1)!);
        const followed = new Set(numbers);
        const missed = kept.filter((n) => !followed.has(n));
        assert.deepEqual(missed.slice(0, 20), [], `${missed.length} lines in the files were not followed`);
        assert.ok(kept.length > 300, `only ${kept.length} lines left in the files to compare`);
        assert.ok(
          gaps.length <= 4 && gaps.every((g) => g <= 16),
          `lines missed while following: gaps ${gaps.join(', ')}`,
        );
        console.log(`logs -f: ${numbers.length} lines across 2+ rotations, ${gaps.reduce((a, b) => a + b, 0)} missed`);
      },
    );
  },
);
