/**
 * The `programs` option of collective.recipe.supervisor, one program per line:
 *
 *     priority name [(key=value ...)] command [[args]] [directory] [true|false] [user]
 *
 * `[args]` is a bracket group (it may hold spaces); a bracket group that starts with true/false is
 * not args. `directory` defaults to the command's directory; the true/false token is
 * redirect_stderr; a trailing token is the user. `(...)` carries program options; besides the
 * supervisord ones we honour (autostart, startsecs, stopsignal, stopwaitsecs) it takes readiness
 * and addresses, which the original could not express (see docs/process-manager.md).
 */
import * as path from 'node:path';
import type { OptionsContext, ProgramSpec, Readiness } from '../../src/recipe';
import { parseAddress } from '../shared/checks';

export interface LineProgram extends ProgramSpec {
  redirectStderr: boolean;
  autostart: boolean;
  startSecs: number;
}

const LINE = /^(-?\d+)\s+([A-Za-z0-9_.-]+)\s*(?:\(([^)]*)\))?\s*(\S+)\s*(?:\[([^\]]*)\])?\s*(.*)$/;
const SIGNALS = ['TERM', 'INT', 'QUIT', 'KILL', 'HUP'] as const;
export const LINE_KEYS = [
  'autostart',
  'startsecs',
  'stopsignal',
  'stopwaitsecs',
  'ready',
  'ready-timeout',
  'listen',
  'type',
  'reload-signal',
  'stopasgroup',
  'stop-wake',
];
export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** Splits `a=1 b="two words"` into pairs. */
function keyValues(text: string): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const re = /([A-Za-z0-9_.-]+)\s*=\s*("([^"]*)"|'([^']*)'|\S+)/g;
  for (let m = re.exec(text); m; m = re.exec(text)) pairs.push([m[1].toLowerCase(), m[3] ?? m[4] ?? m[2]]);
  return pairs;
}

function seconds(ctx: OptionsContext, key: string, value: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s)?$/.exec(value);
  if (!m)
    throw ctx.error(
      'programs',
      `program option ${key}=${value} is not a duration`,
      'write seconds (10, 2.5s) or milliseconds (500ms).',
    );
  return Math.round(Number(m[1]) * (m[2] === 'ms' ? 1 : 1000));
}

function readiness(ctx: OptionsContext, value: string): Readiness {
  if (value === 'none') return { kind: 'none' };
  if (/^https?:\/\//.test(value)) return { kind: 'http', url: value };
  const address = parseAddress(ctx, 'programs', value.replace(/^tcp:/, ''));
  return { kind: 'tcp', host: address.host, port: address.port };
}

function applyOption(ctx: OptionsContext, program: LineProgram, key: string, value: string): void {
  switch (key) {
    case 'autostart':
      program.autostart = !/^(false|no|off|0)$/i.test(value);
      break;
    case 'startsecs':
      program.startSecs = seconds(ctx, key, value);
      break;
    case 'stopwaitsecs':
      program.stopTimeoutMs = seconds(ctx, key, value);
      break;
    case 'ready-timeout':
      program.readyTimeoutMs = seconds(ctx, key, value);
      break;
    case 'ready':
      program.ready = readiness(ctx, value);
      break;
    case 'listen':
      program.listen.push(parseAddress(ctx, 'programs', value));
      break;
    case 'stop-wake':
      program.stopWake = parseAddress(ctx, 'programs', value);
      break;
    case 'type':
      program.type = value;
      break;
    // false: signal only the main process (a daemon that manages its own workers)
    case 'stopasgroup':
      program.ownProcessGroup = /^(false|no|off|0)$/i.test(value);
      break;
    case 'stopsignal':
    case 'reload-signal': {
      const name = value.toUpperCase().replace(/^SIG/, '');
      if (!(SIGNALS as readonly string[]).includes(name))
        throw ctx.error(
          'programs',
          `${key}=${value} is not a signal the process manager sends`,
          `use one of ${SIGNALS.join(', ')}.`,
        );
      if (key === 'stopsignal') program.stopSignal = `SIG${name}` as ProgramSpec['stopSignal'];
      else program.reload = { signal: `SIG${name}` };
      break;
    }
    default:
      throw ctx.error('programs', `unknown program option "${key}"`, `known options: ${LINE_KEYS.join(', ')}.`);
  }
}

/** One `programs` line as a ProgramSpec; a malformed line is an error quoting it. */
export function parseProgramLine(ctx: OptionsContext, line: string, environment: Record<string, string>): LineProgram {
  const m = LINE.exec(line.trim());
  if (!m) {
    throw ctx.error(
      'programs',
      `program line incorrect: ${JSON.stringify(line.trim())}`,
      'write "priority name [(key=value ...)] command [[args]] [directory] [true|false] [user]", e.g. "10 web ' +
        '(ready=127.0.0.1:8080) /usr/bin/python3 [-m http.server 8080]".',
    );
  }
  const [, priority, name, options, command, args, rest] = m;
  if (!path.isAbsolute(command)) {
    throw ctx.error(
      'programs',
      `program "${name}": command ${JSON.stringify(command)} is not an absolute path`,
      'give the full path (/usr/sbin/haproxy, ${buildout:bin-directory}/instance1): programs get no PATH lookup.',
    );
  }
  const tail = rest.trim().split(/\s+/).filter(Boolean);
  let directory = path.dirname(command);
  if (tail.length && tail[0].startsWith('/')) directory = tail.shift()!;
  let redirectStderr = false;
  if (tail.length && /^(true|false)$/i.test(tail[0])) redirectStderr = tail.shift()!.toLowerCase() === 'true';
  const user = tail.shift();
  if (tail.length)
    throw ctx.error(
      'programs',
      `program "${name}": unexpected ${JSON.stringify(tail.join(' '))} at the end of the line`,
      'after the command and [args] come only: directory, true|false (redirect_stderr), user.',
    );
  const program: LineProgram = {
    name,
    part: ctx.name,
    type: 'program',
    command: [command, ...(args ? args.trim().split(/\s+/).filter(Boolean) : [])],
    directory,
    environment: { ...environment },
    priority: Number(priority),
    user,
    listen: [],
    ready: { kind: 'none' },
    readyTimeoutMs: 30_000,
    stopSignal: 'SIGTERM',
    stopTimeoutMs: 10_000,
    redirectStderr,
    autostart: true,
    startSecs: 1000,
  };
  for (const [key, value] of keyValues(options ?? '')) applyOption(ctx, program, key, value);
  if (program.ready.kind === 'none' && program.listen.length) {
    program.ready = { kind: 'tcp', host: program.listen[0].host, port: program.listen[0].port };
  }
  return program;
}

/** `KEY=value` lines (the part's `environment` option) as a record; PATH defaults to a fixed list. */
export function parseEnvironment(ctx: OptionsContext, option: string): Record<string, string> {
  const environment: Record<string, string> = { PATH: ctx.options.get('env-path')?.trim() || DEFAULT_PATH };
  for (const line of ctx.options.lines(option)) {
    const at = line.indexOf('=');
    if (at < 1 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(line.slice(0, at).trim())) {
      throw ctx.error(
        option,
        `${option} line ${JSON.stringify(line)} is not KEY=value`,
        'one variable per line: LANG=C.UTF-8',
      );
    }
    environment[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return environment;
}
