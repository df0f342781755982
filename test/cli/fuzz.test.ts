/**
 * Property tests on bin/assemble's arguments, as test/config/fuzz.test.ts does for the
 * configuration: random command lines (random-argv.ts) must end in exit 0 (help, version, or a
 * command that ran) or in exit 2 with clean errors only (each paragraph on stderr a warning or an
 * error with a code, no stack trace, no "internal error"), and a rejected run changes nothing in
 * the tree. The argument parser alone takes many cases in-process; whole runs take fewer, as real
 * processes given the words as raw bytes (through bash's $'...'). ZETA_RANDOM_CASES and ZETA_SEED
 * run more or other cases.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { Random } from '../helpers/random-config';
import { ASSEMBLE } from '../helpers/paths';
import { Deployment } from '../helpers/deployment';
import { parseArguments } from '../../src/cli/args';
import { ZetaError } from '../../src/errors/zeta-error';
import { randomArgv, showArgv } from './random-argv';

const SEED = Number(process.env.ZETA_SEED ?? 14);
const CASES = Number(process.env.ZETA_RANDOM_CASES ?? 160);

test('the argument parser returns arguments or throws a ZetaError, for any words', () => {
  const r = new Random(SEED);
  const outcomes = new Map<string, number>();
  for (let i = 0; i < 20_000; i++) {
    const argv = randomArgv(r).map((word) => word.toString('utf8')); // node decodes argv so
    let outcome = 'ok';
    try {
      const args = parseArguments(argv);
      assert.ok(['install', 'plan', 'annotate', 'query'].includes(args.command));
      assert.ok(
        !args.commandArgs.some((a) => a.includes('=') && !a.startsWith('-')),
        `an assignment after the command got through: ${JSON.stringify(argv)}`,
      );
    } catch (error) {
      assert.ok(
        error instanceof ZetaError,
        `${JSON.stringify(argv)}: not a clean error: ${(error as Error)?.stack ?? String(error)}`,
      );
      assert.ok(
        error.message.length > 0 && error.hint,
        `${JSON.stringify(argv)}: ${error.code} has a message and a hint`,
      );
      outcome = error.code;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  assert.ok((outcomes.get('ok') ?? 0) > 1000 && outcomes.size >= 3, JSON.stringify([...outcomes]));
});

/** bash's $'...' quoting: printable ASCII as is, every other byte as \xHH. */
function bashWord(word: Buffer): string {
  let out = "$'";
  for (const byte of word)
    out +=
      byte >= 0x20 && byte < 0x7f && byte !== 0x27 && byte !== 0x5c
        ? String.fromCharCode(byte)
        : `\\x${byte.toString(16).padStart(2, '0')}`;
  return `${out}'`;
}

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function runBytes(argv: Buffer[], cwd: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      '/bin/bash',
      ['-c', `exec ${bashWord(Buffer.from(ASSEMBLE))} ${argv.map(bashWord).join(' ')}`],
      { cwd, env: { ...process.env, NO_COLOR: '1' } },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

/** Every entry of the tree with its type, mode, size, mtime and (for files) contents. */
function snapshot(dir: string, into = new Map<string, string>()): Map<string, string> {
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules') continue;
    const stat = lstatSync(full);
    const contents = stat.isFile() ? createHash('sha256').update(readFileSync(full)).digest('hex') : '';
    into.set(full, `${stat.mode.toString(8)} ${stat.size} ${stat.mtimeMs} ${contents}`);
    if (stat.isDirectory()) snapshot(full, into);
  }
  return into;
}

const CONFIG = `[buildout]
parts = t
[ports]
http = 8000
[t]
recipe = template
inline = port \${ports:http}
output = \${buildout:directory}/out.txt
[u]
recipe = template
inline = u
output = \${buildout:directory}/u.txt
`;

function tree(): Deployment {
  const d = new Deployment(CONFIG);
  d.write('other.cfg', '[buildout]\nextends = buildout.cfg\nparts = t u\n');
  d.write('bad.cfg', '[buildout]\nparts = t\nthis is not an option\n[t\n');
  d.write('sub/keep.txt', 'kept\n');
  return d;
}

/**
 * From the first problem on, each paragraph of stderr is a warning, an error with a code, or the
 * count of errors (before it, -v may have printed progress lines).
 */
function cleanParagraphs(stderr: string): boolean {
  const first = stderr.search(/(^|\n)(warning|error)\[/);
  return stderr
    .slice(first)
    .trim()
    .split(/\n\n/)
    .every((block) => /^(warning|error)\[[A-Z_]+\]: \S/.test(block) || /^\d+ errors$/.test(block));
}

test(
  `${CASES} random command lines run end to end: exit 0 or a clean exit 2, and a rejected run leaves the ` +
    `tree as it was`,
  async () => {
    const r = new Random(SEED + 1);
    const cases = Array.from({ length: CASES }, () => randomArgv(r));
    const workers = [tree(), tree(), tree()];
    const outcomes = new Map<string, number>();
    try {
      for (const d of workers) assert.equal(d.run().status, 0, 'the tree starts installed');
      let next = 0;
      await Promise.all(
        workers.map(async (d) => {
          while (next < cases.length) {
            const argv = cases[next++];
            const shown = `bin/assemble ${showArgv(argv)}`;
            const before = snapshot(d.dir);
            const run = await runBytes(argv, d.dir);
            assert.doesNotMatch(run.stderr, /internal error|\n\s+at .+:\d+:\d+/, `${shown}\n${run.stderr}`);
            // what the user typed is quoted, and shortened when long: no control character, no endless line
            assert.doesNotMatch(
              run.stderr,
              /[\x00-\x08\x0b-\x1f\x7f]/,
              `${shown}: a control character on stderr\n${JSON.stringify(run.stderr)}`,
            );
            const longest = Math.max(0, ...run.stderr.split('\n').map((line) => line.length));
            assert.ok(longest <= 400, `${shown}: a ${longest}-character line on stderr\n${run.stderr.slice(0, 2000)}`);
            if (run.status === 0) {
              assert.doesNotMatch(run.stderr, /(^|\n)error\[/, `${shown}: exit 0 with an error\n${run.stderr}`);
            } else {
              assert.equal(run.status, 2, `${shown}: exit ${run.status}\n${run.stderr}`);
              assert.match(run.stderr, /(^|\n)error\[[A-Z_]+\]: \S/, `${shown}\n${run.stderr}`);
              assert.ok(
                cleanParagraphs(run.stderr),
                `${shown}: stderr is not one paragraph per problem\n${run.stderr}`,
              );
              assert.deepEqual(snapshot(d.dir), before, `${shown}: a rejected run changed the tree`);
            }
            const code = run.status === 0 ? 'exit 0' : /error\[([A-Z_]+)\]/.exec(run.stderr)![1];
            outcomes.set(code, (outcomes.get(code) ?? 0) + 1);
          }
        }),
      );
    } finally {
      for (const d of workers) d.cleanup();
    }
    // the command lines must reach both outcomes and several kinds of error, or the test proves little
    assert.ok((outcomes.get('exit 0') ?? 0) > CASES / 10 && outcomes.size > 5, JSON.stringify([...outcomes]));
  },
);
