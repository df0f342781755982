/**
 * The instances' Python is asked once, not once per part: seven zope-instance parts naming
 * different eggs cost one interpreter run at plan and install, none at annotate, and none at a
 * run after install while the interpreter and its package directories are unchanged. The
 * interpreter here is a wrapper around /usr/bin/python3 that counts its runs.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/paths';
import { assemble } from '../helpers/run';
import { freePort } from '../helpers/ports';

const EGGS = [
  'waitress',
  'waitress PyMySQL',
  'PyMySQL',
  'waitress',
  'zc.buildout',
  'waitress zc.buildout',
  'setuptools',
];

async function deployment(dir: string): Promise<void> {
  writeFileSync(
    path.join(dir, 'python'),
    '#!/bin/sh\necho run >> "$(dirname "$0")/python.log"\nexec /usr/bin/python3 "$@"\n',
  );
  chmodSync(path.join(dir, 'python'), 0o755);
  writeFileSync(
    path.join(dir, 'app.py'),
    'def application(environ, start_response):\n    start_response("200 OK", [])\n    return [b"ok"]\n',
  );
  const lines = [
    '[buildout]',
    `parts = ${EGGS.map((_, i) => `i${i + 1}`).join(' ')}`,
    '[base]',
    'recipe = plone.recipe.zope2instance',
    'python = ${buildout:directory}/python',
    'wsgi-app = ${buildout:directory}/app.py:application',
  ];
  for (let i = 0; i < EGGS.length; i++)
    lines.push(`[i${i + 1}]`, '<= base', `http-address = 127.0.0.1:${await freePort()}`, `eggs = ${EGGS[i]}`);
  writeFileSync(path.join(dir, 'buildout.cfg'), `${lines.join('\n')}\n`);
}

function runs(dir: string): number {
  const log = path.join(dir, 'python.log');
  if (!existsSync(log)) return 0;
  const count = readFileSync(log, 'utf8').split('\n').filter(Boolean).length;
  rmSync(log);
  return count;
}

test('seven instances: no Python run at annotate, one at plan, one at install, none at the no-op re-run', async () => {
  const temp = tempDir();
  try {
    await deployment(temp.dir);
    const annotate = assemble(['annotate', '--json'], { cwd: temp.dir });
    assert.equal(annotate.status, 0, annotate.stderr);
    assert.equal(JSON.parse(annotate.stdout).sections.i3.eggs, 'PyMySQL');
    assert.equal(runs(temp.dir), 0, 'annotate asks no interpreter');
    const plan = assemble(['plan'], { cwd: temp.dir });
    assert.equal(plan.status, 0, plan.stderr);
    assert.equal(runs(temp.dir), 1, 'plan asks the interpreter once for all seven parts');
    const install = assemble(['-q'], { cwd: temp.dir, timeoutMs: 120_000 });
    assert.equal(install.status, 0, install.stderr);
    assert.equal(runs(temp.dir), 1, 'install asks it once');
    const again = assemble(['-q'], { cwd: temp.dir, timeoutMs: 120_000 });
    assert.equal(again.status, 0, again.stderr);
    assert.equal(runs(temp.dir), 0, 'the answer is kept in the installed state');
  } finally {
    temp.cleanup();
  }
});

test('a missing egg is still an assembly error at plan, naming the Debian package', async () => {
  const temp = tempDir();
  try {
    await deployment(temp.dir);
    const r = assemble(['i2:eggs=waitress No_Such.Egg', 'plan'], { cwd: temp.dir });
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, /egg No_Such\.Egg is not installed for .*\/python/);
    assert.match(r.stderr, /apt-get install python3-no-such-egg/);
    assert.equal(runs(temp.dir), 1);
  } finally {
    temp.cleanup();
  }
});
