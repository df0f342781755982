/**
 * The real-world corpus (test/fixtures/corpus/<case>/): public buildout configurations with
 * every file their extends reach, remote ones vendored (see test/reference/vendor_corpus.py and
 * each case.json for where every file came from).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES } from './paths';

export interface CorpusCase {
  name: string;
  /** The case directory (absolute) and its root configuration file, relative to it. */
  dir: string;
  root: string;
  args: string[];
  source: { repository: string; ref: string; commit: string; path: string };
  /** How zc.buildout 2.13 fares where it cannot resolve the case: errors (and so must we). */
  reference?: 'errors';
  note?: string;
}

export function corpusCases(): CorpusCase[] {
  const root = path.join(FIXTURES, 'corpus');
  return readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, 'case.json')))
    .sort()
    .map((name) => {
      const meta = JSON.parse(readFileSync(path.join(root, name, 'case.json'), 'utf8'));
      return {
        name,
        dir: path.join(root, name),
        args: meta.args ?? [],
        root: meta.root,
        source: meta.source,
        reference: meta.reference,
        note: meta.note,
      };
    });
}
