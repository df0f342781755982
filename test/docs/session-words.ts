/**
 * What the documents and the code comments must not say: words about how the work was done
 * (the dates of runs, the machine's load, sessions, issue numbers, branches and merges, paths of
 * the machine outside the repository) rather than about the software. Each pattern is narrow
 * enough to have no false positive on the repository's own text: the panel's "session cookie",
 * an ISO timestamp in a sample log line and the pm2 home `/tmp/zs-...` are all legitimate.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';

export interface WordPattern {
  name: string;
  pattern: RegExp;
}

/** One pattern matching any of the parts (so that each part stays readable on its own). */
function any(flags: string, ...parts: RegExp[]): RegExp {
  return new RegExp(parts.map((part) => part.source).join('|'), flags);
}

export const SESSION_WORDS: WordPattern[] = [
  // a calendar date; \b after the day keeps ISO timestamps (2026-01-31T10:00) of sample output out
  { name: 'date of a run', pattern: /\b20\d\d-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b/ },
  { name: 'issue number', pattern: any('i', /\bissues? #?\d+\b/, /\bissue #/, /\bissue's\b/) },
  {
    // "the session's CSRF token" and "panel sessions" are the panel's own: only whose session it was
    name: 'session',
    pattern: /\b(this|that|last|previous|earlier|later|other|the day's( last)?) sessions?\b/i,
  },
  { name: 'helper', pattern: any('i', /\bhelper agents?\b/, /\bother (helpers|engineers)\b/) },
  { name: 'machine load', pattern: any('i', /\bload averages?\b/, /\bload \d/) },
  {
    name: 'branch or merge',
    pattern: any(
      'i',
      /\b(before|after) the merge\b/,
      /\b(this|that|the main) branch\b/,
      /\bmain as merged\b/,
      /\bmerged? (main|branch)\b/,
    ),
  },
  {
    // /tmp/zs-<hash> is the pm2 home the process manager makes: legitimate
    name: 'path outside the repository',
    pattern: any('', /(^|[\s`'"(=])\/work\//, /\/tmp\/zeta/, /\.\.\/shared\//, /\bshared\/notes\b/),
  },
  {
    // the project's working notes live beside the repository, not in docs/notes/
    name: 'notes outside the repository',
    pattern: any(
      'i',
      /\bstack notes\b/,
      /\bstack\.md (§|section)/,
      /\bstack\.md's\b/,
      /\banchors (note|§)/,
      /(?<!docs\/)\bnotes\/(stack|anchors|nodeset|recipes|multihost-anchors)\.md\b/,
    ),
  },
];

export interface Hit {
  file: string;
  line: number;
  name: string;
  text: string;
}

/** Every match of every pattern in the given lines (line numbers are 1-based). */
export function findSessionWords(file: string, lines: { line: number; text: string }[]): Hit[] {
  const hits: Hit[] = [];
  for (const { line, text } of lines) {
    for (const { name, pattern } of SESSION_WORDS) {
      if (pattern.test(text)) hits.push({ file, line, name, text: text.trim() });
    }
  }
  return hits;
}

export function formatHits(hits: Hit[]): string {
  return hits.map((h) => `${h.file}:${h.line}: ${h.name}: ${h.text.slice(0, 160)}`).join('\n');
}

/** Files under `dir` (relative to `root`) whose names end in one of `extensions`, sorted. */
export function listFiles(root: string, dir: string, extensions: string[]): string[] {
  const found: string[] = [];
  const walk = (relative: string): void => {
    let entries;
    try {
      entries = readdirSync(path.join(root, relative), { withFileTypes: true });
    } catch {
      return; // a directory the repository does not have (yet): nothing to scan
    }
    for (const entry of entries) {
      const child = path.join(relative, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(child);
      } else if (extensions.some((ext) => entry.name.endsWith(ext))) {
        found.push(child);
      }
    }
  };
  walk(dir);
  return found.sort();
}
