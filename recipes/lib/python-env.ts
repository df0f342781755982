/**
 * What a Python interpreter can import: the versions of the distributions an instance's `eggs`
 * names, and whether a module is importable. One interpreter run per distinct question (four
 * instances sharing one environment cost one run). There is no package index on these machines,
 * so a missing egg is an assembly error that says which Debian package would provide it.
 */
import { spawnSync } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { OptionsContext } from '../../src/recipe';

export interface PythonReport {
  python: string;
  /** Distribution name -> version, or null when it is not installed. */
  versions: Record<string, string | null>;
  /** Whether the module asked for can be found (undefined when none was asked). */
  module?: boolean;
}

const PROBE = `
import json, sys, importlib.metadata as metadata, importlib.util as util
request = json.loads(sys.argv[1])
sys.path[:0] = request["paths"]
report = {"python": sys.version.split()[0], "versions": {}}
for egg in request["eggs"]:
    try:
        report["versions"][egg] = metadata.version(egg)
    except Exception:
        report["versions"][egg] = None
if request["module"]:
    try:
        report["module"] = util.find_spec(request["module"]) is not None
    except Exception:
        report["module"] = False
print(json.dumps(report))
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

/**
 * The report, or the reason the interpreter could not be asked. Kept between runs (ctx.memo) until
 * the interpreter or one of its package directories changes: asking Python costs ~0.1 s.
 */
export function inspectPython(ctx: OptionsContext, python: string, eggs: string[], paths: string[], module?: string): PythonReport | string {
  const request = JSON.stringify({ eggs, paths, module: module ?? null });
  const answer = ctx.memo(`python ${python} ${request}`, installationFiles(python, paths), () => {
    const result = spawnSync(python, ['-I', '-c', PROBE, request], { encoding: 'utf8', timeout: 30_000, env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } });
    if (result.error) return JSON.stringify(`${python} cannot be run: ${result.error.message}`);
    if (result.status !== 0) return JSON.stringify(`${python} failed: ${(result.stderr || '').trim().split('\n').pop()}`);
    return result.stdout;
  });
  return JSON.parse(answer) as PythonReport | string;
}

/** The Debian package that usually provides a Python distribution (python3-<name>). */
export function debianPackageFor(egg: string): string {
  return `python3-${egg.toLowerCase().replace(/[_.]/g, '-')}`;
}
