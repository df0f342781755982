/**
 * The plan as a value: why a part reinstalls (each reason, causes before the options they
 * change), when it only updates or is left alone, what is uninstalled, and how a reason reads.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import type { PartInfo } from '../parts/initialize-parts';
import type { LoadedRecipe } from '../parts/recipe-loader';
import type { Recipe } from '../recipe';
import { emptyState, type InstalledState, type PartRecord } from '../state/state';
import { changeReasons, describeReason, planParts, type PlannedPart, type Reason } from './plan';

type Values = Record<string, string>;

function loaded(version = '1.0', update = false): LoadedRecipe {
  const recipe = { name: 'demo', version, install: async () => [] } as Record<string, unknown>;
  if (update) recipe.update = async () => undefined;
  return { recipe: recipe as unknown as Recipe, spec: 'demo', identity: 'builtin:demo', version };
}

/** A part as the options phase leaves it: its options, what it read elsewhere, its input files. */
interface Seen {
  reads?: Values;
  inputs?: Values;
  recipe?: LoadedRecipe;
}

function planned(name: string, options: Values, more: Seen = {}): PlannedPart {
  const inputs = new Map(Object.entries(more.inputs ?? {}));
  const info = {
    name,
    recipe: more.recipe ?? loaded(),
    inputs,
    explain: new Map(),
    secrets: new Set(),
    outputs: new Map(),
  } as PartInfo;
  return { info, options: new Map(Object.entries(options)), reads: new Map(Object.entries(more.reads ?? {})) };
}

/** A part as the installed state recorded it. */
function record(options: Values, more: Partial<PartRecord> = {}): PartRecord {
  return {
    recipe: 'demo',
    identity: 'builtin:demo',
    version: '1.0',
    options,
    inputs: {},
    reads: {},
    paths: [],
    parents: [],
    programs: [],
    installedAt: '2000-01-01T00:00:00.000Z',
    ...more,
  };
}

function state(parts: Record<string, PartRecord>, order = Object.keys(parts)): InstalledState {
  return { ...emptyState(), order, parts };
}

test('nothing changed: no reason', () => {
  const seen = { reads: { 'ports:http': '80' }, inputs: { '/t/a.conf': 'h1' } };
  const installed = state({ web: record({ port: '80' }, seen) });
  assert.deepEqual(changeReasons(planned('web', { port: '80' }, seen), installed), []);
});

test('options added, changed and removed are each a reason, with both values', () => {
  const installed = state({ web: record({ port: '80', mode: '0644' }) });
  const reasons = changeReasons(planned('web', { port: '81', user: 'www' }), installed);
  assert.deepEqual(reasons, [
    { kind: 'option', option: 'port', from: '80', to: '81' },
    { kind: 'option', option: 'user', from: undefined, to: 'www' },
    { kind: 'option', option: 'mode', from: '0644' },
  ]);
});

test('a value read from another section counts only when it was recorded, and differs', () => {
  const part = planned('web', {}, { reads: { 'ports:http': '81', 'hosts:public': '10.0.0.1' } });
  const reasons = changeReasons(part, state({ web: record({}, { reads: { 'ports:http': '80' } }) }));
  const changed: Reason = { kind: 'read', key: 'ports:http', from: '80', to: '81' };
  assert.deepEqual(reasons, [changed], 'a read not recorded before is no reason');
});

test('files it depends on: changed, new and no longer used', () => {
  const part = planned('web', {}, { inputs: { '/t/a': 'h2', '/t/new': 'h3' } });
  const reasons = changeReasons(part, state({ web: record({}, { inputs: { '/t/a': 'h1', '/t/old': 'h0' } }) }));
  assert.deepEqual(reasons.map((r) => r.kind === 'input' && r.file).sort(), ['/t/a', '/t/new', '/t/old']);
});

test('a path the part made that is gone is a reason; a dangling symlink is still there', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'zeta-plan-'));
  try {
    const kept = path.join(dir, 'kept');
    const link = path.join(dir, 'link');
    writeFileSync(kept, '');
    symlinkSync(path.join(dir, 'nowhere'), link);
    const gone = path.join(dir, 'gone');
    const reasons = changeReasons(planned('web', {}), state({ web: record({}, { paths: [kept, link, gone] }) }));
    assert.deepEqual(reasons, [{ kind: 'path-missing', path: gone }]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the causes come first: recipe, files, values read, missing paths, then the options they changed', () => {
  const part = planned(
    'web',
    { port: '81' },
    {
      recipe: loaded('2.0'),
      reads: { 'ports:http': '81' },
      inputs: { '/t/a': 'h2' },
    },
  );
  const old = record(
    { port: '80' },
    {
      reads: { 'ports:http': '80' },
      inputs: { '/t/a': 'h1' },
      paths: ['/nonexistent/zeta-plan-test'],
    },
  );
  const reasons = changeReasons(part, state({ web: old }));
  assert.deepEqual(
    reasons.map((r) => r.kind),
    ['recipe', 'input', 'read', 'path-missing', 'option'],
  );
  assert.deepEqual(reasons[0], { kind: 'recipe', from: 'builtin:demo 1.0', to: 'builtin:demo 2.0' });
});

test('planParts: install, reinstall, update (for a recipe with update) or nothing; uninstalls in reverse', () => {
  const order = ['new', 'changed', 'same', 'updatable'];
  const parts = new Map([
    ['new', planned('new', {})],
    ['changed', planned('changed', { a: '2' })],
    ['same', planned('same', { a: '1' })],
    ['updatable', planned('updatable', { a: '1' }, { recipe: loaded('1.0', true) })],
  ]);
  const one = record({ a: '1' });
  const installed = state({ changed: one, same: one, updatable: one, old1: record({}), old2: record({}) }, [
    'old1',
    'changed',
    'old2',
    'same',
    'updatable',
  ]);
  const plan = planParts(order, parts, installed);
  const steps = plan.steps.map((s) => `${s.action} ${s.part}`);
  assert.deepEqual(steps, ['install new', 'reinstall changed', 'unchanged same', 'update updatable']);
  assert.deepEqual(plan.uninstall, ['old2', 'old1']);
  const only = planParts(order, parts, installed, new Set(['changed']));
  assert.deepEqual(
    only.steps.map((s) => s.part),
    ['changed'],
  );
  assert.deepEqual(only.uninstall, [], 'naming parts uninstalls nothing');
});

test('reasons read as sentences; long and multi-line values are shortened on one line', () => {
  const cases: Array<[Reason, string]> = [
    [{ kind: 'option', option: 'port', from: '80', to: '81' }, 'option port changed from "80" to "81"'],
    [{ kind: 'option', option: 'user', to: 'www' }, 'option user was added: "www"'],
    [{ kind: 'option', option: 'mode', from: '0644' }, 'option mode was removed (was "0644")'],
    [{ kind: 'read', key: 'ports:http', from: '80', to: '81' }, '${ports:http} changed from "80" to "81"'],
    [{ kind: 'recipe', from: 'demo 1.0', to: 'demo 2.0' }, 'the recipe changed from demo 1.0 to demo 2.0'],
    [{ kind: 'input', file: '/t/a' }, 'file /t/a changed'],
    [{ kind: 'path-missing', path: '/t/p' }, '/t/p is gone'],
    // a line break shown as \n (escaped again by the quoting), 60 characters at most
    [
      { kind: 'option', option: 'x', from: 'a\nb', to: 'x'.repeat(70) },
      `option x changed from "a\\\\nb" to "${'x'.repeat(57)}..."`,
    ],
  ];
  for (const [reason, text] of cases) assert.equal(describeReason(reason), text);
});
