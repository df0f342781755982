/**
 * Where Zetaserver itself is installed (the directory holding its package.json, recipes/ and
 * templates/), found from this file whether it runs from dist/src/... or from the bundle in dist/.
 */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

let root: string | undefined;

export function installRoot(): string {
  if (root) return root;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        if (JSON.parse(readFileSync(manifest, 'utf8')).name === 'zetaserver') return (root = dir);
      } catch {
        // not ours: keep looking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`cannot find Zetaserver's package.json above ${__dirname}`);
    dir = parent;
  }
}

export function templatesDir(): string {
  return path.join(installRoot(), 'templates');
}
