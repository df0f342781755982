/**
 * What a Python interpreter can import: the versions of the distributions an instance's `eggs`
 * names, and whether a module is importable. One interpreter run lists every distribution it
 * sees (for its extra paths), however many parts ask and whatever eggs they name; the listing is
 * kept between runs (ctx.probe, in the installed state) until the interpreter or one of its
 * package directories changes. There is no package index on these machines, so a missing egg is
 * an assembly error that says which Debian package would provide it.
 */
import type { OptionsContext, ProbeResult } from '../../src/recipe';

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
function installationFiles(ctx: OptionsContext, python: string, paths: string[]): string[] {
  // a missing interpreter has no real path: the probe reports it
  const real = ctx.stat(python)?.real ?? python;
  const version = /python(\d+\.\d+)$/.exec(real)?.[1];
  const dirs = ['/usr/lib/python3/dist-packages'];
  if (version)
    dirs.push(
      `/usr/lib/python${version}`,
      `/usr/local/lib/python${version}/dist-packages`,
      `/usr/lib/python${version}/site-packages`,
    );
  return [real, ...dirs, ...paths];
}

/** A probe script's JSON answer, or a string saying why the interpreter could not answer. */
function answer(python: string, result: ProbeResult): unknown {
  if (result.error) return `${python} cannot be run: ${result.error}`;
  if (result.code !== 0) return `${python} failed: ${result.stderr.trim().split('\n').pop()}`;
  return JSON.parse(result.stdout);
}

/** Runs a probe script with a fixed environment (isolated: -I), once per interpreter and arguments. */
function ask(ctx: OptionsContext, python: string, script: string, args: string[], files: string[]): unknown {
  const argv = [python, '-I', '-c', script, ...args];
  const env = { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' };
  return ctx.probe(argv, (result) => answer(python, result), { files, env, timeoutMs: 30_000 });
}

function pep503(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase();
}

/**
 * The report, or the reason the interpreter could not be asked. The interpreter is asked once
 * for all its distributions (per set of extra paths), and once more only for a module to find.
 */
export function inspectPython(
  ctx: OptionsContext,
  python: string,
  eggs: string[],
  paths: string[],
  module?: string,
): PythonReport | string {
  const files = installationFiles(ctx, python, paths);
  type Listing = { python: string; versions: Record<string, string> } | string;
  const listing = ask(ctx, python, LIST_DISTRIBUTIONS, [JSON.stringify(paths)], files) as Listing;
  if (typeof listing === 'string') return listing;
  const report: PythonReport = { python: listing.python, versions: {} };
  for (const egg of eggs)
    report.versions[egg] = Object.hasOwn(listing.versions, pep503(egg)) ? listing.versions[pep503(egg)] : null;
  if (module) {
    const found = ask(ctx, python, FIND_MODULE, [JSON.stringify(paths), module], files) as boolean | string;
    if (typeof found === 'string') return found;
    report.module = found;
  }
  return report;
}

/** The Debian package that usually provides a Python distribution (python3-<name>). */
export function debianPackageFor(egg: string): string {
  return `python3-${egg.toLowerCase().replace(/[_.]/g, '-')}`;
}
