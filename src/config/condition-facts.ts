/**
 * The names a conditional section header (`[name:expression]`) may use, as zc.buildout 2.13
 * defines them in `_default_globals`, computed for this machine. Python facts (the reference's
 * `python3`, `sys.version_info`, ...) describe the system Python 3 that zc.buildout would run on.
 */
import * as os from 'node:os';
import { SYSTEM_PYTHON } from './buildout-defaults';

export type PyValue = null | boolean | number | string | PyValue[] | PyTuple | PyObject | PyFunction;
export interface PyTuple {
  tuple: PyValue[];
}
export interface PyObject {
  attributes: Record<string, () => PyValue>;
  name: string;
}
export interface PyFunction {
  call: (args: PyValue[]) => PyValue;
  name: string;
}

/** Python truthiness: None, False, 0, "" and empty sequences are false. */
export function truthy(v: PyValue): boolean {
  if (v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object' && 'tuple' in v) return v.tuple.length > 0;
  return true;
}

let pythonFacts: { version: string; info: PyValue[] } | undefined;

/**
 * The system Python's version, asked only when something needs it (an expression mentioning a
 * Python version, `abi-tag-eggs`): it costs a process start.
 */
export function systemPython(): { version: string; info: PyValue[] } {
  if (!pythonFacts) {
    let version = '3.11.2';
    try {
      const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
      version = execFileSync(SYSTEM_PYTHON, ['-c', 'import platform;print(platform.python_version())'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      }).trim();
    } catch {
      // no system Python: keep the version Debian 12 ships, the reference's own
    }
    const [major, minor, micro] = version.split('.').map((n) => Number.parseInt(n, 10) || 0);
    pythonFacts = { version, info: [major, minor, micro, 'final', 0] };
  }
  return pythonFacts;
}

function fn(name: string, call: (args: PyValue[]) => PyValue): PyFunction {
  return { name, call };
}

function platformName(): string {
  const map: Record<string, string> = {
    linux: 'linux',
    darwin: 'darwin',
    win32: 'win32',
    freebsd: 'freebsd',
    sunos: 'sunos5',
    cygwin: 'cygwin',
  };
  return map[process.platform] ?? process.platform;
}

function machine(): string {
  const fromOs = (os as { machine?: () => string }).machine;
  if (fromOs) return fromOs();
  return process.arch === 'x64' ? 'x86_64' : process.arch;
}

function regexOf(pattern: PyValue): RegExp {
  if (typeof pattern !== 'string') throw new TypeError('re: pattern must be a string');
  return new RegExp(pattern);
}

export function conditionGlobals(): Map<string, PyValue> {
  const sysPlatform = platformName();
  const windows = sysPlatform.includes('win32');
  const osName = windows ? 'nt' : 'posix';
  const bits = ['x64', 'arm64', 'ppc64', 's390x', 'riscv64', 'loong64', 'mips64el'].includes(process.arch) ? 64 : 32;
  const little = os.endianness() === 'LE';
  const sys: PyObject = {
    name: 'sys',
    attributes: {
      platform: () => sysPlatform,
      byteorder: () => (little ? 'little' : 'big'),
      maxsize: () => (bits === 64 ? 9223372036854775807 : 2147483647),
      version: () => systemPython().version,
      version_info: () => ({ tuple: systemPython().info }),
    },
  };
  const osModule: PyObject = {
    name: 'os',
    attributes: { name: () => osName, sep: () => (windows ? '\\' : '/'), linesep: () => (windows ? '\r\n' : '\n') },
  };
  const platformModule: PyObject = {
    name: 'platform',
    attributes: {
      system: () =>
        fn(
          'system',
          () =>
            (({ linux: 'Linux', darwin: 'Darwin', win32: 'Windows' }) as Record<string, string>)[sysPlatform] ??
            os.type(),
        ),
      machine: () => fn('machine', () => machine()),
      node: () => fn('node', () => os.hostname()),
      release: () => fn('release', () => os.release()),
      python_version: () => fn('python_version', () => systemPython().version),
      python_implementation: () => fn('python_implementation', () => 'CPython'),
    },
  };
  const re: PyObject = {
    name: 're',
    attributes: {
      match: () => fn('match', ([p, s]) => (typeof s === 'string' && regexOf(p).exec(s)?.index === 0 ? true : null)),
      search: () => fn('search', ([p, s]) => (typeof s === 'string' && regexOf(p).test(s) ? true : null)),
    },
  };
  const globals = new Map<string, PyValue>([
    ['sys', sys],
    ['os', osModule],
    ['platform', platformModule],
    ['re', re],
    ['python2', false],
    ['python3', true],
    ['cpython', true],
    ['pypy', false],
    ['jython', false],
    ['ironpython', false],
    ['linux', sysPlatform.includes('linux')],
    ['windows', windows],
    ['cygwin', sysPlatform.includes('cygwin')],
    ['solaris', sysPlatform.includes('sunos')],
    ['macosx', sysPlatform.includes('darwin')],
    ['posix', osName === 'posix'],
    ['bits32', bits === 32],
    ['bits64', bits === 64],
    ['little_endian', little],
    ['big_endian', !little],
    ['True', true],
    ['False', false],
    ['None', null],
  ]);
  // Python evaluates headers with its builtins; these side-effect-free ones are offered too.
  const sequence = (v: PyValue): PyValue[] =>
    typeof v === 'string' ? [...v] : Array.isArray(v) ? v : v && typeof v === 'object' && 'tuple' in v ? v.tuple : [];
  const number = (v: PyValue): number =>
    typeof v === 'boolean' ? Number(v) : typeof v === 'number' ? v : Number.parseInt(String(v), 10);
  const builtins: Array<[string, (args: PyValue[]) => PyValue]> = [
    ['len', ([v]) => sequence(v).length],
    ['str', ([v]) => (v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v))],
    ['int', ([v]) => Math.trunc(number(v))],
    ['bool', ([v]) => truthy(v)],
    ['abs', ([v]) => Math.abs(number(v))],
    ['chr', ([v]) => String.fromCodePoint(number(v))],
    ['ord', ([v]) => (typeof v === 'string' ? (v.codePointAt(0) ?? 0) : 0)],
    ['min', (args) => (args.length === 1 ? sequence(args[0]) : args).reduce((a, b) => (number(b) < number(a) ? b : a))],
    ['max', (args) => (args.length === 1 ? sequence(args[0]) : args).reduce((a, b) => (number(b) > number(a) ? b : a))],
    ['any', ([v]) => sequence(v).some(truthy)],
    ['all', ([v]) => sequence(v).every(truthy)],
    ['tuple', ([v]) => ({ tuple: sequence(v) })],
    ['list', ([v]) => sequence(v)],
  ];
  for (const [name, call] of builtins) globals.set(name, fn(name, call));
  // zc.buildout 2.13 defines python24 .. python36 only; all are false on any Python 3.7+.
  for (const v of ['24', '25', '26', '27', '30', '31', '32', '33', '34', '35', '36']) globals.set(`python${v}`, false);
  return globals;
}
