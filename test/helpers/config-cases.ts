import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES } from './paths';

export interface ErrorExpectation {
  code: string;
  /** bin/assemble's exit status (test/cli/error-fixtures.test.ts, with expected-error.txt). */
  exit?: number;
  file?: string;
  line?: number;
  column?: number;
  message?: string;
  hint?: string;
  related?: number;
}

export interface ConfigCase {
  name: string;
  dir: string;
  args: string[];
  expect?: Record<string, Record<string, string>>;
  error?: ErrorExpectation;
  /** How zc.buildout 2.13 fares where we knowingly differ: errors | rejects | runs-code. */
  reference?: 'errors' | 'rejects' | 'runs-code';
  note?: string;
}

export function configCases(): ConfigCase[] {
  const root = path.join(FIXTURES, 'config');
  return readdirSync(root)
    .filter((name) => existsSync(path.join(root, name, 'case.json')))
    .sort()
    .map((name) => {
      const meta = JSON.parse(readFileSync(path.join(root, name, 'case.json'), 'utf8'));
      return { name, dir: path.join('config', name), args: meta.args ?? [], ...meta };
    });
}

/**
 * What differs by design: the state file is .installed.json where zc.buildout's is .installed.cfg,
 * and zc.buildout pins its own eggs in [versions].
 */
function expectedValue(section: string, option: string, value: string): string {
  return section === 'buildout' && option === 'installed'
    ? value.replace(/\.installed\.cfg$/, '.installed.json')
    : value;
}
/** zc.buildout's pins of its own eggs, added to [versions] unless the configuration pins them. */
const OWN_PINS: Record<string, string> = { 'zc.buildout': '>=2.13.2', 'zc.recipe.egg': '>=2.0.6' };

type Sections = Record<string, Record<string, string>>;

/** Differences between our resolution and zc.buildout's, those by design aside. */
export function compareWithReference(ours: Sections, reference: Sections): string[] {
  const problems: string[] = [];
  for (const [section, options] of Object.entries(reference)) {
    const mine = ours[section];
    if (!mine) {
      problems.push(`section [${section}] missing`);
      continue;
    }
    for (const [option, referenceValue] of Object.entries(options)) {
      const value = expectedValue(section, option, referenceValue);
      // zc.buildout adds its pins to the raw versions section: they win even over one a `<=` brings
      if (
        section === (reference.buildout?.versions ?? 'versions') &&
        Object.hasOwn(OWN_PINS, option) &&
        OWN_PINS[option] === value
      )
        continue;
      if (!(option in mine)) problems.push(`${section}:${option} missing (reference: ${JSON.stringify(value)})`);
      else if (mine[option] !== value)
        problems.push(`${section}:${option} = ${JSON.stringify(mine[option])}, reference ${JSON.stringify(value)}`);
    }
    for (const option of Object.keys(mine)) {
      if (!(option in options)) problems.push(`${section}:${option} is extra (${JSON.stringify(mine[option])})`);
    }
  }
  for (const section of Object.keys(ours)) if (!(section in reference)) problems.push(`section [${section}] is extra`);
  return problems;
}
