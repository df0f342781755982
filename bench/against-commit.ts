/**
 * `npm run bench:against -- REF`: this checkout's bin/assemble against the one built from git
 * commit REF (default HEAD~1), on the workloads a refactoring must not slow down: annotate --json
 * of a generated 1000-section configuration and of the example deployment (config resolution),
 * and the no-op re-run of 200 template parts. REF is checked out into a temporary worktree and
 * built there (node_modules hard-linked from this checkout); the two builds run interleaved,
 * round by round, and the table shows each median and the paired ratio (REF's time / ours in
 * the same round: above 1.00 means this checkout is faster).
 */
import { cpSync, linkSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { execFileSync, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { comparePaired, envWithout, table, type Command } from './timing';
import { generateConfig } from './generate-config';

const ROOT = path.resolve(__dirname, '..', '..');

/** A hard-linked copy of a folder: as fast as a symlink, but REF's set-up cannot change ours. */
function linkTree(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) linkTree(source, target);
    else if (entry.isSymbolicLink()) cpSync(source, target, { verbatimSymlinks: true });
    else if (statSync(source).isFile()) linkSync(source, target);
  }
}

function checkoutAndBuild(ref: string, dir: string): string {
  execFileSync('git', ['-C', ROOT, 'worktree', 'add', '--detach', '--quiet', dir, ref], { stdio: 'inherit' });
  linkTree(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'));
  const build = spawnSync(process.execPath, [path.join(dir, 'scripts', 'build.js')], { cwd: dir, stdio: 'inherit' });
  if (build.status !== 0) throw new Error(`the build of ${ref} failed`);
  return execFileSync('git', ['-C', dir, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
}

function templateParts(dir: string, parts: number): string {
  mkdirSync(dir, { recursive: true });
  const lines = [
    '[buildout]',
    `parts = ${Array.from({ length: parts }, (_, i) => `t${i}`).join(' ')}`,
    '[hosts]',
    'public = localhost',
  ];
  for (let i = 0; i < parts; i++)
    lines.push(
      `[t${i}]`,
      'recipe = template',
      `inline = server \${hosts:public} number ${i}`,
      `output = \${buildout:directory}/out/t${i}.conf`,
    );
  writeFileSync(path.join(dir, 'buildout.cfg'), `${lines.join('\n')}\n`);
  return dir;
}

function copyExample(dir: string): string {
  mkdirSync(dir, { recursive: true });
  for (const entry of ['deployment.cfg', 'versions.cfg', 'buildout.d', 'app'])
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  return path.join(dir, 'deployment.cfg');
}

function main(): void {
  const ref = process.argv[2] ?? 'HEAD~1';
  const rounds = Number(process.env.ROUNDS ?? 21);
  const work = mkdtempSync(path.join(tmpdir(), 'zeta-bench-against-'));
  const theirs = path.join(work, 'ref');
  try {
    const commit = checkoutAndBuild(ref, theirs);
    const env = envWithout('NODE_EXTRA_CA_CERTS');
    const builds = [
      { name: 'this checkout', root: ROOT },
      { name: commit.startsWith(ref) || ref.startsWith(commit) ? commit : `${ref} (${commit})`, root: theirs },
    ];
    const large = generateConfig(path.join(work, 'config'), 1000);
    const example = copyExample(path.join(work, 'example'));
    const workloads: Array<{ name: string; commands: Command[] }> = [
      {
        name: 'annotate --json, 1000 sections',
        commands: builds.map((b) => ({
          label: b.name,
          argv: [path.join(b.root, 'bin', 'assemble'), '-c', large, 'annotate', '--json'],
          env,
        })),
      },
      {
        name: 'annotate --json, the example',
        commands: builds.map((b) => ({
          label: b.name,
          argv: [path.join(b.root, 'bin', 'assemble'), '-c', example, 'annotate', '--json'],
          env,
        })),
      },
      {
        name: 'no-op re-run, 200 template parts',
        commands: builds.map((b, i) => {
          const cwd = templateParts(path.join(work, `noop-${i}`), 200);
          const argv = [path.join(b.root, 'bin', 'assemble'), '-q'];
          execFileSync(argv[0], argv.slice(1), { cwd, env, stdio: 'ignore' }); // the first install
          return { label: b.name, argv, cwd, env };
        }),
      },
    ];
    const rows = [['workload', `${builds[0].name} (ms)`, `${builds[1].name} (ms)`, 'paired ratio']];
    for (const { name, commands } of workloads) {
      const { medians, ratios } = comparePaired(commands, rounds);
      rows.push([name, medians[0].toFixed(1), medians[1].toFixed(1), ratios[1].toFixed(3)]);
    }
    console.log(`${rounds} interleaved rounds; paired ratio = ${ref}'s time / this checkout's, median over rounds\n`);
    console.log(table(rows));
  } finally {
    spawnSync('git', ['-C', ROOT, 'worktree', 'remove', '--force', theirs], { stdio: 'ignore' });
    rmSync(work, { recursive: true, force: true });
  }
}

main();
