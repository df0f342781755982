/**
 * The part graph as data: which parts each part needs (through ${part:option} references, also
 * when they pass through data sections, through `=>`, and through what recipes read), and the
 * install order: dependencies first, otherwise the order of [buildout] parts. A cycle is an
 * error that prints it.
 */
import type { Resolver } from '../config/interpolate';
import type { PartInfo } from '../parts/initialize-parts';
import { engineErrors } from '../errors/codes';
import type { Where } from '../errors/factories/text';

export type PartGraph = Map<string, string[]>;

export function buildPartGraph(resolver: Resolver, parts: Map<string, PartInfo>): PartGraph {
  const graph: PartGraph = new Map();
  for (const [name, info] of parts) {
    const needs: string[] = [];
    const seen = new Set<string>([name]);
    // depth-first through data sections, with an explicit stack: a chain of sections thousands
    // deep needs no JavaScript stack
    const stack: Array<Iterator<string>> = [
      [...(resolver.stateOf(name)?.references ?? []), ...info.extraDependencies][Symbol.iterator](),
    ];
    while (stack.length) {
      const next = stack[stack.length - 1].next();
      if (next.done) {
        stack.pop();
        continue;
      }
      const section = next.value;
      if (seen.has(section)) continue;
      seen.add(section);
      if (parts.has(section)) {
        needs.push(section);
        continue;
      }
      const state = resolver.stateOf(section);
      if (state) stack.push(state.references[Symbol.iterator]());
    }
    graph.set(name, needs);
  }
  return graph;
}

/** Where a part refers to one it needs, for the error about a cycle: `[site] inline` and its location. */
export type LocateNeed = (part: string, need: string) => { ref: string; where: Where } | undefined;

/** Depth-first: each part after everything it needs; roots in their given order. */
export function installOrder(roots: string[], graph: PartGraph, locate?: LocateNeed): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  for (const root of roots) {
    if (done.has(root)) continue;
    // the parts being visited, with the index of the next need of each (an explicit stack)
    const path: string[] = [root];
    const onPath = new Set<string>([root]);
    const next: number[] = [0];
    while (path.length) {
      const part = path[path.length - 1];
      const needs = graph.get(part) ?? [];
      const i = next[next.length - 1]++;
      if (i < needs.length) {
        const need = needs[i];
        if (done.has(need)) continue;
        if (onPath.has(need)) {
          const cycle = [...path.slice(path.indexOf(need)), need];
          throw engineErrors.partCycle(cycle, locate?.(cycle[0], cycle[1]));
        }
        path.push(need);
        onPath.add(need);
        next.push(0);
        continue;
      }
      path.pop();
      next.pop();
      onPath.delete(part);
      done.add(part);
      order.push(part);
    }
  }
  return order;
}

/** A part and everything it needs, transitively. */
export function withDependencies(parts: string[], graph: PartGraph): Set<string> {
  const out = new Set<string>();
  const stack = [...parts].reverse();
  while (stack.length) {
    const part = stack.pop()!;
    if (out.has(part)) continue;
    out.add(part);
    const needs = graph.get(part) ?? [];
    for (let i = needs.length - 1; i >= 0; i--) stack.push(needs[i]);
  }
  return out;
}
