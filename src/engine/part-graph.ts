/**
 * The part graph as data: which parts each part needs (through ${part:option} references, also
 * when they pass through data sections, through `=>`, and through what recipes read), and the
 * install order: dependencies first, otherwise the order of [buildout] parts. A cycle is an
 * error that prints it.
 */
import type { Resolver } from '../config/interpolate';
import type { PartInfo } from './initialize-parts';
import { engineErrors } from '../errors/codes';

export type PartGraph = Map<string, string[]>;

export function buildPartGraph(resolver: Resolver, parts: Map<string, PartInfo>): PartGraph {
  const graph: PartGraph = new Map();
  for (const [name, info] of parts) {
    const needs: string[] = [];
    const seen = new Set<string>([name]);
    const visit = (section: string): void => {
      if (seen.has(section)) return;
      seen.add(section);
      if (parts.has(section)) {
        needs.push(section);
        return;
      }
      const state = resolver.stateOf(section);
      if (state) for (const next of state.references) visit(next);
    };
    for (const next of resolver.stateOf(name)?.references ?? []) visit(next);
    for (const next of info.extraDependencies) visit(next);
    graph.set(name, needs);
  }
  return graph;
}

/** Depth-first: each part after everything it needs; roots in their given order. */
export function installOrder(roots: string[], graph: PartGraph): string[] {
  const order: string[] = [];
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (part: string): void => {
    if (done.has(part)) return;
    const at = path.indexOf(part);
    if (at >= 0) throw engineErrors.partCycle([...path.slice(at), part]);
    path.push(part);
    for (const need of graph.get(part) ?? []) visit(need);
    path.pop();
    done.add(part);
    order.push(part);
  };
  for (const root of roots) visit(root);
  return order;
}

/** A part and everything it needs, transitively. */
export function withDependencies(parts: string[], graph: PartGraph): Set<string> {
  const out = new Set<string>();
  const visit = (part: string): void => {
    if (out.has(part)) return;
    out.add(part);
    for (const need of graph.get(part) ?? []) visit(need);
  };
  for (const part of parts) visit(part);
  return out;
}
