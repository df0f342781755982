/** TreePaths from the resolved [buildout] section. */
import * as path from 'node:path';
import type { TreePaths } from '../recipe';
import type { Resolver } from '../config/interpolate';
import { installRoot, templatesDir } from '../util/install-root';

export function treePaths(resolver: Resolver): TreePaths {
  const directory = resolver.get('buildout', 'directory')!;
  const bin = resolver.get('buildout', 'bin-directory')!;
  const parts = resolver.get('buildout', 'parts-directory')!;
  return {
    directory,
    bin,
    parts,
    part: (name) => path.join(parts, name),
    variable: (...segments) => path.join(directory, 'var', ...segments),
    etc: (...segments) => path.join(directory, 'etc', ...segments),
    templates: (...segments) => path.join(templatesDir(), ...segments),
    zetaserver: (...segments) => path.join(installRoot(), ...segments),
  };
}
