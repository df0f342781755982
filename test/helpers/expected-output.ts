/**
 * Output pinned in a fixture directory: the test compares what a command printed with a file
 * kept beside the fixture (expected-error.txt). On a mismatch the actual text is written next to
 * it (actual-error.txt, git-ignored) and the test fails with a line diff; with
 * ZETA_UPDATE_FIXTURES=1 the expected file is rewritten instead, to be reviewed before it is
 * committed. Temporary paths are replaced by placeholders first, so the files hold no run's paths.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

export const UPDATE = process.env.ZETA_UPDATE_FIXTURES === '1';

/** Paths in `text` replaced by placeholders: `places` maps a path to its placeholder, longest first. */
export function withPlaceholders(text: string, places: Record<string, string>): string {
  let out = text;
  for (const [place, placeholder] of Object.entries(places).sort((a, b) => b[0].length - a[0].length)) {
    out = out.split(place).join(placeholder);
  }
  return out;
}

/** A line diff (longest common subsequence): "-" expected only, "+" actual only, " " both. */
export function lineDiff(expected: string, actual: string): string {
  const a = expected.split('\n');
  const b = actual.split('\n');
  const common: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      common[i][j] = a[i] === b[j] ? common[i + 1][j + 1] + 1 : Math.max(common[i + 1][j], common[i][j + 1]);
    }
  }
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      out.push(`  ${a[i++]}`);
      j++;
    } else if (j < b.length && (i === a.length || common[i][j + 1] >= common[i + 1][j])) {
      out.push(`+ ${b[j++]}`);
    } else {
      out.push(`- ${a[i++]}`);
    }
  }
  return out.join('\n');
}

/**
 * Compares `actual` with `dir/expected` (e.g. expected-error.txt); throws with a diff on a
 * mismatch, after writing `dir/actual-...` beside it. Under ZETA_UPDATE_FIXTURES=1 it writes the
 * expected file instead.
 */
export function matchExpected(dir: string, expected: string, actual: string): void {
  const expectedFile = path.join(dir, expected);
  const actualFile = path.join(dir, expected.replace(/^expected-/, 'actual-'));
  if (UPDATE) {
    writeFileSync(expectedFile, actual);
    rmSync(actualFile, { force: true });
    return;
  }
  const relative = path.relative(process.cwd(), expectedFile);
  if (!existsSync(expectedFile)) {
    writeFileSync(actualFile, actual);
    throw new Error(
      `${relative} does not exist; the output is in ${path.basename(actualFile)} beside it. ` +
        'Run with ZETA_UPDATE_FIXTURES=1 to write it, and review it before committing.',
    );
  }
  const wanted = readFileSync(expectedFile, 'utf8');
  if (wanted === actual) {
    rmSync(actualFile, { force: true });
    return;
  }
  writeFileSync(actualFile, actual);
  throw new Error(
    `the output differs from ${relative} (- expected, + actual; the actual output is in ` +
      `${path.basename(actualFile)} beside it; ZETA_UPDATE_FIXTURES=1 rewrites the expected file):\n` +
      lineDiff(wanted, actual),
  );
}
