/**
 * bin/porter: the launcher the porter recipe writes runs `node cli.js SETTINGS-FILE ARGS...`.
 * Errors print the way bin/assemble prints them (the one ZetaError class and printer: bin/porter is
 * a program of Zetaserver, not a recipe, so it may use them); bad input exits 2 and changes
 * nothing. Output is for people, or JSON with --json.
 */
import { ZetaError, isZetaError } from '../../../src/errors/zeta-error';
import { printError, printInternalError } from '../../../src/errors/print';
import { ConfigRefused, ReloadNotConfirmed, type Applied } from './apply';
import * as commands from './commands';
import { LockTimeout } from './lock';
import { formatRoute, printCheck, printList } from './output';
import { readSettings, type PorterSettings } from './settings';

export const USAGE = `usage: bin/porter COMMAND [ARGUMENTS] [--json]

  list                        the routes: domains, backend, kind, and whether the config or bin/porter made them
  add DOMAIN BACKEND [--alias DOMAIN]... [--kind http|zope] [--site SITE]
                              route DOMAIN (and its aliases) to BACKEND
  move DOMAIN BACKEND [--kind http|zope] [--site SITE]
                              send an existing route to another backend at once (keeps kind and site unless given)
  remove DOMAIN               stop routing DOMAIN (it gets the parked page)
  reset DOMAIN                forget what bin/porter did to DOMAIN: the config's route applies again
  check                       connect to every route's backend; report the dead ones (exit 1 if any)
  apply                       render nginx.conf from the table again and reload

BACKEND is a pool name (porter's pools / external-pools) or host:port. DOMAIN may be *.example.com.
Every change is checked with nginx -t and applied by a graceful reload; no request is dropped.
Exit status: 0 done; 1 a dead backend (check) or a reload nginx did not confirm; 2 bad input, nothing changed.
`;

interface Parsed {
  command: string;
  positional: string[];
  flags: { kind?: string; site?: string; aliases: string[]; json: boolean };
}

function usage(message: string): ZetaError {
  return new ZetaError('PORTER_USAGE', message, { hint: 'run bin/porter help for the commands and their arguments.' });
}

function parse(argv: string[]): Parsed {
  const flags: Parsed['flags'] = { aliases: [], json: false };
  const positional: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined || next.startsWith('--')) throw usage(`${arg} needs a value`);
      return next;
    };
    if (arg === '--json') flags.json = true;
    else if (arg === '--debug') continue; // read by main: a bug's stack trace
    else if (arg === '--kind') flags.kind = value();
    else if (arg === '--site') flags.site = value();
    else if (arg === '--alias') flags.aliases.push(value());
    else if (arg === '--help' || arg === '-h') positional.unshift('help');
    else if (arg.startsWith('-')) throw usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [command = 'help', ...rest] = positional;
  return { command, positional: rest, flags };
}

function expect(parsed: Parsed, names: string[]): string[] {
  if (parsed.positional.length !== names.length) {
    throw usage(`bin/porter ${parsed.command} takes ${names.length ? names.join(' ') : 'no arguments'}, not ${parsed.positional.length ? `"${parsed.positional.join(' ')}"` : 'nothing'}`);
  }
  if (parsed.command !== 'add' && parsed.command !== 'move' && (parsed.flags.kind || parsed.flags.site)) throw usage(`--kind and --site belong to add and move, not ${parsed.command}`);
  if (parsed.command !== 'add' && parsed.flags.aliases.length) throw usage('--alias belongs to add');
  return parsed.positional;
}

function report(settings: PorterSettings, what: string, applied: Applied, json: boolean, extra: object = {}): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: true, ...extra, ...applied })}\n`);
    return;
  }
  process.stdout.write(`${what}\n`);
  process.stdout.write(applied.running ? `live after ${applied.liveAfterMs} ms (graceful reload of porter [${settings.name}])\n`
    : `porter [${settings.name}] is not running: nginx.conf is updated and takes effect when it starts\n`);
}

async function run(settingsFile: string, argv: string[]): Promise<number> {
  const parsed = parse(argv);
  if (parsed.command === 'help') {
    process.stdout.write(USAGE);
    return 0;
  }
  let settings: PorterSettings;
  try {
    settings = readSettings(settingsFile);
  } catch (error) {
    throw new ZetaError('PORTER_NOT_INSTALLED', `cannot read ${settingsFile}: ${(error as Error).message}`, { hint: 'run bin/assemble to install the porter part again.' });
  }
  const { flags } = parsed;
  switch (parsed.command) {
    case 'list':
      expect(parsed, []);
      printList(settings, commands.list(settings), flags.json);
      return 0;
    case 'check': {
      expect(parsed, []);
      const results = await commands.check(settings);
      printCheck(results, flags.json);
      return results.every((r) => r.result.alive) ? 0 : 1;
    }
    case 'add': {
      const [domain, backend] = expect(parsed, ['DOMAIN', 'BACKEND']);
      const { route, applied } = await commands.add(settings, { domain, backend, kind: flags.kind, site: flags.site, aliases: flags.aliases });
      report(settings, `added ${formatRoute(route)}`, applied, flags.json, { command: 'add', route });
      return 0;
    }
    case 'move': {
      const [domain, backend] = expect(parsed, ['DOMAIN', 'BACKEND']);
      const { route, applied } = await commands.move(settings, { domain, backend, kind: flags.kind, site: flags.site });
      report(settings, `moved ${formatRoute(route)}`, applied, flags.json, { command: 'move', route });
      return 0;
    }
    case 'remove':
    case 'reset': {
      const [domain] = expect(parsed, ['DOMAIN']);
      const applied = await commands[parsed.command](settings, domain);
      report(settings, parsed.command === 'remove' ? `removed ${domain}` : `reset ${domain} to the config`, applied, flags.json, { command: parsed.command, domain });
      return 0;
    }
    case 'apply':
      expect(parsed, []);
      report(settings, 'applied the routing table', await commands.apply(settings), flags.json, { command: 'apply' });
      return 0;
    default:
      throw usage(`unknown command "${parsed.command}"`);
  }
}

/** Turns what bin/porter refuses into ZetaErrors; returns the exit status for them. */
function asZetaError(error: unknown): { error: ZetaError; status: number } | undefined {
  if (isZetaError(error)) return { error, status: 2 };
  if (error instanceof commands.Refused) return { error: new ZetaError(error.problem.code, error.problem.message, { hint: error.problem.hint }), status: 2 };
  if (error instanceof LockTimeout) return { error: new ZetaError('PORTER_LOCKED', error.message, { hint: 'another change is still being applied (or hangs); try again, or look for a stuck bin/porter.' }), status: 2 };
  if (error instanceof ConfigRefused) {
    return { error: new ZetaError('PORTER_NGINX_REFUSED', `nginx refuses the configuration with this change, so nothing was changed:\n${error.message}`, { hint: 'the table itself is fine; the message names what nginx cannot use (often a host name that stopped resolving).' }), status: 2 };
  }
  if (error instanceof ReloadNotConfirmed) return { error: new ZetaError('PORTER_RELOAD_UNCONFIRMED', error.message, { hint: 'the table and nginx.conf are changed; bin/porter apply tries the reload again.' }), status: 1 };
  return undefined;
}

export async function main(argv: string[]): Promise<number> {
  const [settingsFile, ...rest] = argv;
  try {
    return await run(settingsFile, rest);
  } catch (error) {
    const known = asZetaError(error);
    if (!known) {
      printInternalError(error, rest.includes('--debug'));
      return 1;
    }
    printError(known.error.while(`running bin/porter ${rest.join(' ')}`));
    return known.status;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((status) => { process.exitCode = status; });
}
