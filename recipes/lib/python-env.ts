/**
 * What a Python interpreter can import: the versions of the distributions an instance's `eggs`
 * names, and whether a module is importable. One interpreter run per distinct question (four
 * instances sharing one environment cost one run). There is no package index on these machines,
 * so a missing egg is an assembly error that says which Debian package would provide it.
 */
import { spawnSync } from 'node:child_process';

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

const cache = new Map<string, PythonReport | string>();

/** The report, or the reason the interpreter could not be asked. */
export function inspectPython(python: string, eggs: string[], paths: string[], module?: string): PythonReport | string {
  const request = JSON.stringify({ eggs, paths, module: module ?? null });
  const key = `${python}\0${request}`;
  const known = cache.get(key);
  if (known !== undefined) return known;
  const result = spawnSync(python, ['-I', '-c', PROBE, request], { encoding: 'utf8', timeout: 30_000, env: { PATH: '/usr/bin:/bin', LANG: 'C.UTF-8' } });
  let answer: PythonReport | string;
  if (result.error) answer = `${python} cannot be run: ${result.error.message}`;
  else if (result.status !== 0) answer = `${python} failed: ${(result.stderr || '').trim().split('\n').pop()}`;
  else answer = JSON.parse(result.stdout) as PythonReport;
  cache.set(key, answer);
  return answer;
}

/** The Debian package that usually provides a Python distribution (python3-<name>). */
export function debianPackageFor(egg: string): string {
  return `python3-${egg.toLowerCase().replace(/[_.]/g, '-')}`;
}
