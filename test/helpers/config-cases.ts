import { readdirSync, readFileSync, existsSync } from 'node:fs';
import * as path from 'node:path';
import { FIXTURES } from './paths';

export interface ErrorExpectation {
  code: string;
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

/** The JSON contract compared with zc.buildout: which [buildout] options are ours to compare. */
export const PYTHON_ONLY_BUILDOUT_OPTIONS = new Set([
  'allow-hosts', 'develop-eggs-directory', 'eggs-directory', 'executable', 'find-links', 'prefer-final',
  'python', 'use-dependency-links', 'allow-unknown-extras',
  'installed', // ours is .installed.json, zc.buildout's .installed.cfg
]);
export const PYTHON_ONLY_VERSION_PINS = new Set(['zc.buildout', 'zc.recipe.egg']);

type Sections = Record<string, Record<string, string>>;

/** Differences between our resolution and zc.buildout's, Python-only defaults aside. */
export function compareWithReference(ours: Sections, reference: Sections): string[] {
  const problems: string[] = [];
  for (const [section, options] of Object.entries(reference)) {
    const mine = ours[section];
    if (!mine) {
      problems.push(`section [${section}] missing`);
      continue;
    }
    for (const [option, value] of Object.entries(options)) {
      if (section === 'buildout' && PYTHON_ONLY_BUILDOUT_OPTIONS.has(option)) continue;
      if (section === (reference.buildout?.versions ?? 'versions') && PYTHON_ONLY_VERSION_PINS.has(option)) continue;
      if (!(option in mine)) problems.push(`${section}:${option} missing (reference: ${JSON.stringify(value)})`);
      else if (mine[option] !== value) problems.push(`${section}:${option} = ${JSON.stringify(mine[option])}, reference ${JSON.stringify(value)}`);
    }
    for (const option of Object.keys(mine)) {
      if (!(option in options)) problems.push(`${section}:${option} is extra (${JSON.stringify(mine[option])})`);
    }
  }
  for (const section of Object.keys(ours)) if (!(section in reference)) problems.push(`section [${section}] is extra`);
  return problems;
}

