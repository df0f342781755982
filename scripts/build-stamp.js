'use strict';
/**
 * Whether dist/ is up to date with its sources, so that set-up can skip the build.
 *
 * scripts/build.js calls beginBuild() first, which removes the stamp and writes
 * dist/.build-started, and finishBuild() last, which renames that file to dist/.build-stamp.
 * The stamp's mtime is therefore the moment the successful build started, on the filesystem's
 * own clock (the one source mtimes are on): a source saved during a build is newer than it.
 * A failed or interrupted build never reaches the rename and leaves no stamp.
 *
 * The inputs are every file and directory under the tsconfig.json `include` roots (a directory's
 * mtime changes when a file in it is added, removed or renamed), plus the files below, less the
 * scratch directories .gitignore names by a plain path (/test/tmp/: the slow tests' downloads),
 * so that a test run does not make the next set-up build again.
 * Templates are not inputs: the recipes read templates/ at run time, the bundle embeds none.
 * Plain JavaScript: setup runs it before anything is built.
 */
const fs = require('node:fs');
const path = require('node:path');

const STAMP = path.join('dist', '.build-stamp');
const STARTED = path.join('dist', '.build-started');
// tsc's options; the npm packages compiled against; the build itself; bin/assemble, through which
// the build's warm-up runs write the V8 code caches (V8 accepts a cache only under its flags)
const FIXED_INPUTS = ['tsconfig.json', 'package-lock.json', 'scripts/build.js', 'bin/assemble'].map(path.normalize);

function beginBuild(root) {
  fs.rmSync(path.join(root, STAMP), { force: true });
  fs.mkdirSync(path.join(root, 'dist'), { recursive: true });
  const note = 'a build started; scripts/build.js renames this file to .build-stamp when it succeeds\n';
  fs.writeFileSync(path.join(root, STARTED), note);
}

function finishBuild(root) {
  fs.renameSync(path.join(root, STARTED), path.join(root, STAMP));
}

/** The fixed part of an include pattern, up to its first wildcard: "src/**\/*.ts" -> "src". */
function patternRoot(pattern) {
  const segments = pattern.split(/[\\/]/);
  const wild = segments.findIndex((s) => /[*?[{]/.test(s));
  return (wild < 0 ? segments : segments.slice(0, wild)).join(path.sep) || '.';
}

/** The paths (relative to root) whose mtimes decide; throws when tsconfig.json is unreadable. */
function buildInputs(root) {
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.json'), 'utf8'));
  const patterns = [...(tsconfig.include ?? []), ...(tsconfig.files ?? [])];
  return [...new Set([...patterns.map(patternRoot), ...FIXED_INPUTS])];
}

/**
 * The paths .gitignore names without wildcards ("/test/tmp/", "node_modules/"), as a test of a
 * path relative to root. Patterns with wildcards are not followed: what they match stays an
 * input, which can cost a needless build but never skips a needed one.
 */
function ignoredPaths(root) {
  let text;
  try {
    text = fs.readFileSync(path.join(root, '.gitignore'), 'utf8');
  } catch {
    return () => false;
  }
  const anchored = new Set();
  const names = new Set();
  for (const line of text.split('\n').map((l) => l.trim())) {
    if (!line || /^[#!]/.test(line) || /[*?[\]\\]/.test(line)) continue;
    const entry = line.replace(/\/$/, '');
    if (entry.startsWith('/')) anchored.add(path.normalize(entry.slice(1)));
    else if (!entry.includes('/')) names.add(entry);
  }
  return (relative) => anchored.has(relative) || names.has(path.basename(relative));
}

/** The newest mtime under a path (itself included), with the path that has it; none if missing. */
function newest(root, relative, ignored) {
  let stat;
  try {
    stat = fs.lstatSync(path.join(root, relative));
  } catch {
    return { mtimeMs: 0, file: relative };
  }
  let found = { mtimeMs: stat.mtimeMs, file: relative };
  if (!stat.isDirectory()) return found;
  for (const name of fs.readdirSync(path.join(root, relative))) {
    const inner = path.join(relative, name);
    if (ignored(inner)) continue;
    const candidate = newest(root, inner, ignored);
    if (candidate.mtimeMs > found.mtimeMs) found = candidate;
  }
  return found;
}

/**
 * Why the build is stale (one phrase), or undefined when dist/ is newer than every input.
 * `force` (setup's --rebuild, or npm ci having just run) makes it stale with that reason.
 */
function buildStaleness(root, force) {
  if (force) return force;
  let stamp;
  try {
    stamp = fs.statSync(path.join(root, STAMP)).mtimeMs;
  } catch {
    return 'no successful build yet';
  }
  let inputs;
  try {
    inputs = buildInputs(root);
  } catch (error) {
    return `tsconfig.json cannot be read (${error.message})`;
  }
  const ignored = ignoredPaths(root);
  for (const input of inputs) {
    const { mtimeMs, file } = newest(root, input, ignored);
    if (mtimeMs >= stamp) return `${file} changed since the last build`;
  }
  return undefined;
}

module.exports = { beginBuild, finishBuild, buildInputs, buildStaleness, STAMP };
