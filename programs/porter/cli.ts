/**
 * bin/porter: the launcher the porter recipe writes runs `node cli.js SETTINGS-FILE ARGS...`.
 * Errors print the way bin/assemble prints them (the one ZetaError class and printer: bin/porter is
 * a program of Zetaserver, not a recipe, so it may use them); bad input exits 2 and changes
 * nothing. Output is for people, or JSON with --json.
 */
import { ZetaError, isZetaError } from '../../src/errors/zeta-error';
import { printError, printInternalError } from '../../src/errors/print';
import { ConfigRefused, ReloadNotConfirmed, type Applied } from './apply';
import { expect, parse, usage, USAGE } from './cli-args';
import * as commands from './commands';
import { CorruptTable } from './files';
import { LockTimeout } from './lock';
import { formatRoute, printCheck, printList } from './output';
import { readSettings, type PorterSettings } from './settings';

/** Routing to a backend that is down is allowed (it may start later), but said. */
async function warnIfDown(settings: PorterSettings, route: { domains: string[]; backend: string }): Promise<void> {
  const down = await commands.unanswered(settings, route.backend);
  if (down.length) process.stderr.write(`warning: nothing answers at ${down.join(', ')} yet; ${route.domains[0]} shows its 502 page until it does\n`);
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
      const { route, applied } = await commands.add(settings, {
        domain, backend, kind: flags.kind, site: flags.site, aliases: flags.aliases,
        cert: flags.cert, key: flags.key, httpsOnly: flags.httpsOnly,
      });
      report(settings, `added ${formatRoute(route)}`, applied, flags.json, { command: 'add', route });
      await warnIfDown(settings, route);
      return 0;
    }
    case 'move': {
      const [domain, backend] = expect(parsed, ['DOMAIN', 'BACKEND']);
      const { route, applied } = await commands.move(settings, { domain, backend, kind: flags.kind, site: flags.site });
      report(settings, `moved ${formatRoute(route)}`, applied, flags.json, { command: 'move', route });
      await warnIfDown(settings, route);
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
    case 'reload-certificates': {
      expect(parsed, []);
      const { checked, applied } = await commands.reloadCertificates(settings);
      const extra = { command: 'reload-certificates', checked };
      report(settings, `checked ${checked} certificates`, applied, flags.json, extra);
      return 0;
    }
    default:
      throw usage(`unknown command "${parsed.command}"`);
  }
}

/** Turns what bin/porter refuses into ZetaErrors; returns the exit status for them. */
function asZetaError(error: unknown): { error: ZetaError; status: number } | undefined {
  if (isZetaError(error)) return { error, status: 2 };
  if (error instanceof commands.Refused) return { error: new ZetaError(error.problem.code, error.problem.message, { hint: error.problem.hint }), status: 2 };
  if (error instanceof CorruptTable) return { error: new ZetaError('PORTER_TABLE_CORRUPT', error.message, { hint: 'it is JSON written by bin/porter; repair it, or move it aside (its routes are then forgotten) and add them again.' }), status: 2 };
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
