import type { Resolver } from '../config/interpolate';

/** `[buildout] parts`, as words: the parts a run installs (each pulls in the parts it refers to). */
export function partList(resolver: Resolver): string[] {
  return (resolver.get('buildout', 'parts') ?? '').split(/\s+/).filter(Boolean);
}
