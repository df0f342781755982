/** TreePaths from the resolved [buildout] section. */
import * as path from 'node:path';
import type { TreePaths } from '../recipe';
import type { Resolver } from '../config/interpolate';
import { installRoot, templatesDir } from '../util/install-root';

export function treePaths(resolver: Resolver): TreePaths {
  const directory = resolver.get('buildout', 'directory')!;
  const bin = resolver.get('buildout', 'bin-directory')!;
  const parts = resolver.get('buildout', 'parts-directory')!;
  // not one of zc.buildout's options, so no default of its own: a nodeset release sets it to the
  // node's shared var/, so that what the daemons keep open names a place no release removal touches
  const variable = resolver.get('buildout', 'var-directory')?.trim() || path.join(directory, 'var');
  return {
    directory,
    bin,
    parts,
    part: (name) => path.join(parts, name),
    variable: (...segments) => path.join(variable, ...segments),
    etc: (...segments) => path.join(directory, 'etc', ...segments),
    templates: (...segments) => path.join(templatesDir(), ...segments),
    zetaserver: (...segments) => path.join(installRoot(), ...segments),
  };
}
