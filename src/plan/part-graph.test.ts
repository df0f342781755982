/**
 * The part graph as data: what each part needs (through data sections too, and what recipes
 * read), the install order (each part after its needs, otherwise as listed), the cycle printed
 * as a path, and chains far deeper than the JavaScript stack.
 */
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import type { Resolver } from '../config/interpolate';
import { ZetaError } from '../errors/zeta-error';
import type { PartInfo } from '../parts/initialize-parts';
import { buildPartGraph, installOrder, withDependencies, type PartGraph } from './part-graph';

const graph = (entries: Record<string, string[]>): PartGraph => new Map(Object.entries(entries));

test('needs through references, through data sections (once each), and what a recipe reads', () => {
  const references: Record<string, string[]> = {
    web: ['ports', 'settings', 'db'], // a data section, another, a part
    settings: ['ports', 'cache', 'settings'], // a part reached through data; a self-reference
    ports: [],
    db: [],
    cache: [],
    log: [],
  };
  const stateOf = (name: string) => (name in references ? { references: references[name] } : undefined);
  const resolver = { stateOf } as unknown as Resolver;
  const parts = new Map(
    ['web', 'db', 'cache', 'log'].map((name) => [
      name,
      {
        extraDependencies: new Set(name === 'web' ? ['log', 'db'] : []),
      } as PartInfo,
    ]),
  );
  const built = buildPartGraph(resolver, parts);
  // depth-first: the part [settings] leads to comes before the next reference of [web]
  assert.deepEqual(built.get('web'), ['cache', 'db', 'log']);
  assert.deepEqual([built.get('db'), built.get('cache'), built.get('log')], [[], [], []]);
});

test('install order: each part after what it needs; otherwise the order of [buildout] parts', () => {
  const g = graph({ front: ['app'], app: ['db', 'cache'], db: [], cache: ['db'], tools: [] });
  assert.deepEqual(installOrder(['front', 'tools'], g), ['db', 'cache', 'app', 'front', 'tools']);
  assert.deepEqual(installOrder(['tools', 'cache', 'db'], g), ['tools', 'db', 'cache']);
  assert.deepEqual(installOrder(['db', 'db'], g), ['db'], 'a part listed twice installs once');
  assert.deepEqual(installOrder([], g), []);
});

test('a cycle is PART_CYCLE, printed as the path around it', () => {
  const cycle = (roots: string[], g: PartGraph): ZetaError => {
    try {
      installOrder(roots, g);
    } catch (error) {
      assert.ok(error instanceof ZetaError);
      return error;
    }
    assert.fail('no cycle reported');
  };
  const error = cycle(['top'], graph({ top: ['a'], a: ['b'], b: ['c'], c: ['a'] }));
  assert.equal(error.code, 'PART_CYCLE');
  assert.equal(error.message, 'parts depend on each other in a circle: a -> b -> c -> a', 'the circle, not the way in');
  assert.match(cycle(['self'], graph({ self: ['self'] })).message, /: self -> self$/);
});

test('a chain of 100,000 parts needs no JavaScript stack', () => {
  const entries: Record<string, string[]> = {};
  for (let i = 0; i < 100_000; i++) entries[`p${i}`] = i + 1 < 100_000 ? [`p${i + 1}`] : [];
  const order = installOrder(['p0'], graph(entries));
  assert.equal(order.length, 100_000);
  assert.deepEqual([order[0], order[order.length - 1]], ['p99999', 'p0']);
  assert.equal(withDependencies(['p0'], graph(entries)).size, 100_000);
});

test('withDependencies: the parts named and everything they need, transitively, each once', () => {
  const g = graph({ front: ['app'], app: ['db', 'cache'], db: [], cache: ['db'], tools: [] });
  assert.deepEqual([...withDependencies(['front'], g)], ['front', 'app', 'db', 'cache']);
  assert.deepEqual([...withDependencies(['cache', 'tools'], g)], ['cache', 'db', 'tools']);
  assert.deepEqual([...withDependencies(['unknown'], g)], ['unknown'], 'a name outside the graph needs nothing');
});
