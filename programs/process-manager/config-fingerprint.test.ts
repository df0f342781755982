/**
 * What a change of configuration files asks of a running program, on real files in two release
 * directories run through one link: files that differ only in naming their release "moved",
 * a change to the files a reload applies "reload", any other change "restart"; with run-from, a
 * changed application file the program reads restarts it; a fingerprint recorded in the older
 * one-hash format compares equal when nothing changed; a plan (the content install would write)
 * sees what the apply sees.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { Program } from './config';
import { configChange, configFingerprint, restartCause } from './config-fingerprint';

function releases(t: { after(fn: () => void): void }): { root: string; link: string; r1: string; r2: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'zs-fingerprint-'));
  t.after(() => rmSync(root, { recursive: true, force: true }));
  const [r1, r2] = ['r1', 'r2'].map((r) => path.join(root, 'releases', r));
  for (const dir of [r1, r2]) mkdirSync(path.join(dir, 'etc'), { recursive: true });
  return { root, link: path.join(root, 'current'), r1, r2 };
}

function program(link: string, reloadFiles?: string[]): Program {
  return {
    name: 'db',
    command: ['/usr/sbin/mariadbd', `--defaults-file=${link}/etc/db.cnf`],
    configFiles: [`${link}/etc/db.cnf`, `${link}/etc/init.sql`],
    // as the mysql recipe declares it: the server reads its configuration files too
    reads: [`${link}/app.py`, `${link}/etc/db.cnf`, `${link}/etc/init.sql`],
    reload: { command: ['/bin/true'], ...(reloadFiles ? { files: reloadFiles } : {}) },
  } as unknown as Program;
}

function write(dir: string, cnf: string, init: string, app = 'print(1)\n'): void {
  writeFileSync(path.join(dir, 'etc', 'db.cnf'), cnf.replaceAll('@', dir));
  writeFileSync(path.join(dir, 'etc', 'init.sql'), init);
  writeFileSync(path.join(dir, 'app.py'), app);
}

test('moved, reload, restart between two releases run through one link', (t) => {
  const { link, r1, r2 } = releases(t);
  const p = program(link, [`${link}/etc/init.sql`]);
  const of = (dir: string): string => configFingerprint(p, { directory: dir, runFrom: link });
  write(r1, 'datadir = @/var\n', 'GRANT a;\n');
  const before = of(r1);

  write(r2, 'datadir = @/var\n', 'GRANT a;\n');
  assert.equal(configChange(before, of(r2), true), 'moved', 'only the release path differs');
  write(r2, 'datadir = @/var\n', 'GRANT a; GRANT b;\n');
  assert.equal(configChange(before, of(r2), true), 'reload', 'the init file is what a reload applies');
  write(r2, 'datadir = @/var\nport = 3307\n', 'GRANT a;\n');
  assert.equal(configChange(before, of(r2), true), 'restart', 'the server settings need a restart');
  write(r2, 'datadir = @/var\n', 'GRANT a;\n', 'print(2)\n');
  assert.equal(configChange(before, of(r2), true), 'restart', 'its application changed');
  assert.equal(configChange(before, of(r1), true), 'none');
});

test('a fingerprint recorded in the one-hash format: equal when nothing changed', (t) => {
  const { r1 } = releases(t);
  const p = program(r1);
  write(r1, 'port = 1\n', 'GRANT a;\n');
  const older = createHash('sha256');
  for (const file of p.configFiles ?? [])
    older
      .update(file)
      .update('\0')
      .update(`${file.endsWith('.cnf') ? 'port = 1\n' : 'GRANT a;\n'}`);
  const recorded = older.digest('hex');
  assert.equal(configChange(recorded, configFingerprint(p), true), 'none');
  write(r1, 'port = 2\n', 'GRANT a;\n');
  assert.equal(configChange(recorded, configFingerprint(p), true), 'reload');
  assert.equal(configChange(recorded, configFingerprint(p), false), 'restart');
});

test("a plan's fingerprint of what install would write equals the apply's of the written files", (t) => {
  const { link, r1, r2 } = releases(t);
  const p = program(link, [`${link}/etc/init.sql`]);
  write(r1, 'datadir = @/var\n', 'GRANT a;\n');
  const before = configFingerprint(p, { directory: r1, runFrom: link });
  // the plan: r2 still holds the old files; install would write a new grant and application
  write(r2, 'datadir = @/var\n', 'GRANT a;\n');
  const after: Record<string, string> = {
    [path.join(r2, 'etc', 'init.sql')]: 'GRANT a; GRANT b;\n',
    [path.join(r2, 'app.py')]: 'print(2)\n',
  };
  const planned = configFingerprint(p, { directory: r2, runFrom: link }, (file) => after[file]);
  write(r2, 'datadir = @/var\n', 'GRANT a; GRANT b;\n', 'print(2)\n');
  assert.equal(planned, configFingerprint(p, { directory: r2, runFrom: link }));
  assert.equal(configChange(before, planned, true), 'restart', 'the application changed');
});

test('why a restart: the configuration, or only what the program reads; a fingerprint of five fields still compares', (t) => {
  const { link, r1, r2 } = releases(t);
  const p = program(link, [`${link}/etc/init.sql`]);
  const of = (dir: string): string => configFingerprint(p, { directory: dir, runFrom: link });
  write(r1, 'datadir = @/var\n', 'GRANT a;\n');
  const before = of(r1);
  write(r2, 'datadir = @/var\n', 'GRANT a;\n', 'print(2)\n');
  assert.equal(restartCause(before, of(r2)), 'reads');
  write(r2, 'datadir = @/var\nport = 3307\n', 'GRANT a;\n');
  assert.equal(restartCause(before, of(r2)), 'config');
  const fiveFields = before.split(':').slice(0, 5).join(':');
  assert.equal(restartCause(fiveFields, of(r2)), 'unknown');
  assert.equal(configChange(fiveFields, of(r1), true), 'none', 'nothing changed: no reload either');
});

test('an executable the tree built, rebuilt at the same path, restarts its program; one from outside the tree does not count', (t) => {
  const { link, r1, r2 } = releases(t);
  const built = (dir: string, bytes: Buffer): void => {
    mkdirSync(path.join(dir, 'parts', 'db', 'bin'), { recursive: true });
    writeFileSync(path.join(dir, 'parts', 'db', 'bin', 'mariadbd'), bytes);
  };
  const p = { ...program(link), command: [`${link}/parts/db/bin/mariadbd`, `--defaults-file=${link}/etc/db.cnf`] };
  const of = (dir: string): string => configFingerprint(p as Program, { directory: dir, runFrom: link });
  for (const dir of [r1, r2]) write(dir, 'datadir = @/var\n', 'GRANT a;\n');
  // two builds that differ only in bytes that are not UTF-8: a text reading would make them equal
  built(r1, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xfe, 0x00]));
  built(r2, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xff, 0x00]));
  const before = of(r1);
  assert.equal(configChange(before, of(r2), true), 'restart');
  assert.equal(restartCause(before, of(r2)), 'executable');
  built(r2, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xfe, 0x00]));
  assert.equal(configChange(before, of(r2), true), 'moved', 'the same build in the next release');
  // a script naming its release reads as the link's, as the configuration files do
  for (const dir of [r1, r2]) built(dir, Buffer.from(`#!/bin/sh\nexec ${dir}/parts/db/real "$@"\n`));
  assert.equal(configChange(of(r1), of(r2), true), 'moved');
  // Debian's binary, outside the tree: its upgrade is not this tree's to apply
  const system = program(link);
  assert.equal(configFingerprint(system, { directory: r1, runFrom: link }).split(':')[6], '-');
  // a fingerprint recorded before the executable was part of it compares equal
  const sixFields = before.split(':').slice(0, 6).join(':');
  built(r2, Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0xfe, 0x00]));
  assert.equal(configChange(sixFields, of(r2), true), 'moved');
});
