/**
 * What a Python interpreter can import: the versions of the distributions an instance's `eggs`
 * names, and whether a module is importable. One interpreter run lists every distribution it
 * sees (for its extra paths), however many parts ask and whatever eggs they name; the listing is
 * kept between runs (ctx.memo, in the installed state) until the interpreter or one of its
 * package directories changes. There is no package index on these machines, so a missing egg is
 * an assembly error that says which Debian package would provide it.
 */
import { realpathSync } from 'node:fs';
import type { OptionsContext } from '../../src/recipe';

export interface PythonReport {
  python: string;
  /** Distribution name -> version, or null when it is not installed. */
  versions: Record<string, string | null>;
  /** Whether the module asked for can be found (undefined when none was asked). */
  module?: boolean;
}

/** Every distribution the interpreter finds, by PEP 503 name, the first on its path winning (as metadata.version). */
const LIST_DISTRIBUTIONS = `
import json, re, sys, importlib.metadata as metadata
sys.path[:0] = json.loads(sys.argv[1])
found = {}
for dist in metadata.distributions():
    name = dist.metadata["Name"]
    if name:
        found.setdefault(re.sub(r"[-_.]+", "-", name).lower(), dist.version)
print(json.dumps({"python": sys.version.split()[0], "versions": found}))
`;

const FIND_MODULE = `
import json, sys, importlib.util as util
sys.path[:0] = json.loads(sys.argv[1])
try:
    print(json.dumps(util.find_spec(sys.argv[2]) is not None))
except Exception:
    print("false")
`;

/**
 * Where installing or removing a distribution changes something: the interpreter itself and the
 * directories it imports from (a directory's mtime changes when an entry is added or removed).
 */
function installationFiles(python: string, paths: string[]): string[] {
  let real = python;
  try {
    real = realpathSync(python);
  } catch {
    // a missing interpreter: the probe reports it
  }
  const version = /python(\d+\.\d+)$/.exec(real)?.[1];
  const dirs = ['/usr/lib/python3/dist-packages'];
  if (version) dirs.push(`/usr/lib/python${version}`, `/usr/local/lib/python${version}/dist-packages`, `/usr/lib/python${version}/site-packages`);
  return [real, ...dirs, ...paths];
}

/** Runs a probe script; its JSON output, or a JSON string saying why the interpreter could not answer. */
function ask(python: string, script: string, args: string[]): string {
  // loaded here: annotate never asks, and node:child_process costs a cold run milliseconds to load
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const result = spawnSync(python, ['-I', '-c', script, ...args], { encoding: 'utf8', timeout: 30_000, env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } });
  if (result.error) return JSON.stringify(`${python} cannot be run: ${result.error.message}`);
  if (result.status !== 0) return JSON.stringify(`${python} failed: ${(result.stderr || '').trim().split('\n').pop()}`);
  return result.stdout;
}

function pep503(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * The report, or the reason the interpreter could not be asked. The interpreter is asked once
 * for all its distributions (per set of extra paths), and once more only for a module to find.
 */
export function inspectPython(ctx: OptionsContext, python: string, eggs: string[], paths: string[], module?: string): PythonReport | string {
  const files = installationFiles(python, paths);
  const listing = JSON.parse(ctx.memo(`python distributions ${python} ${JSON.stringify(paths)}`, files, () => ask(python, LIST_DISTRIBUTIONS, [JSON.stringify(paths)]))) as
    { python: string; versions: Record<string, string> } | string;
  if (typeof listing === 'string') return listing;
  const report: PythonReport = { python: listing.python, versions: {} };
  for (const egg of eggs) report.versions[egg] = Object.hasOwn(listing.versions, pep503(egg)) ? listing.versions[pep503(egg)] : null;
  if (module) {
    const found = JSON.parse(ctx.memo(`python module ${python} ${JSON.stringify(paths)} ${module}`, files, () => ask(python, FIND_MODULE, [JSON.stringify(paths), module]))) as boolean | string;
    if (typeof found === 'string') return found;
    report.module = found;
  }
  return report;
}

/** The Debian package that usually provides a Python distribution (python3-<name>). */
export function debianPackageFor(egg: string): string {
  return `python3-${egg.toLowerCase().replace(/[_.]/g, '-')}`;
}
