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
