/**
 * bin/porter: the launcher the porter recipe writes runs `node cli.js SETTINGS-FILE ARGS...`.
 * Errors print the way bin/assemble prints them (the one ZetaError class and printer: bin/porter is
 * a program of Zetaserver, not a recipe, so it may use them), and exit with their code's status
 * from the catalogue: bad input exits 2 and changes nothing. Output is for people, or JSON with
 * --json.
 */
import { isZetaError } from '../../src/errors/zeta-error';
import { printError, printInternalError } from '../../src/errors/print';
import { BUG_STATUS } from '../../src/errors/catalogue';
import { porterErrors } from '../../src/errors/factories/porter';
import type { Applied } from './apply';
import { expect, parse, usage, USAGE } from './cli-args';
import * as commands from './commands';
import { formatRoute, printCheck, printList } from './output';
import { readSettings, type PorterSettings } from './settings';

/** Routing to a backend that is down is allowed (it may start later), but said. */
async function warnIfDown(settings: PorterSettings, route: { domains: string[]; backend: string }): Promise<void> {
  const down = await commands.unanswered(settings, route.backend);
  if (down.length)
    process.stderr.write(
      `warning: nothing answers at ${down.join(', ')} yet; ${route.domains[0]} shows its 502 page until it does\n`,
    );
}

function report(settings: PorterSettings, what: string, applied: Applied, json: boolean, extra: object = {}): void {
  if (json) {
    process.stdout.write(`${JSON.stringify({ ok: true, ...extra, ...applied })}\n`);
    return;
  }
  process.stdout.write(`${what}\n`);
  process.stdout.write(
    applied.running
      ? `live after ${applied.liveAfterMs} ms (graceful reload of porter [${settings.name}])\n`
      : `porter [${settings.name}] is not running: nginx.conf is updated and takes effect when it starts\n`,
  );
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
    throw porterErrors.notInstalled(settingsFile, (error as Error).message);
  }
  const { flags } = parsed;
  switch (parsed.command) {
    case 'list':
      expect(parsed, []);
      printList(settings, commands.list(settings), commands.inMaintenance(settings), flags.json);
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
        domain,
        backend,
        kind: flags.kind,
        site: flags.site,
        aliases: flags.aliases,
        cert: flags.cert,
        key: flags.key,
        httpsOnly: flags.httpsOnly,
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
      report(
        settings,
        parsed.command === 'remove' ? `removed ${domain}` : `reset ${domain} to the config`,
        applied,
        flags.json,
        { command: parsed.command, domain },
      );
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
    case 'maintenance': {
      const [domain, state] = expect(parsed, ['DOMAIN', 'on|off']);
      if (state !== 'on' && state !== 'off') throw usage(`maintenance takes on or off, not "${state}"`);
      const done = await commands.maintenance(settings, domain, state === 'on', flags.page);
      const what = done.page
        ? `${done.domain} is in maintenance (page ${done.page})`
        : `${done.domain} is served again`;
      report(settings, what, done.applied, flags.json, {
        command: 'maintenance',
        domain: done.domain,
        page: done.page,
      });
      return 0;
    }
    default:
      throw usage(`unknown command "${parsed.command}"`);
  }
}

export async function main(argv: string[]): Promise<number> {
  const [settingsFile, ...rest] = argv;
  try {
    return await run(settingsFile, rest);
  } catch (error) {
    if (!isZetaError(error)) {
      printInternalError(error, rest.includes('--debug'));
      return BUG_STATUS;
    }
    printError(error.while(`running bin/porter ${rest.join(' ')}`));
    return error.status;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then((status) => {
    process.exitCode = status;
  });
}
