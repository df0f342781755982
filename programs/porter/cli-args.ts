/**
 * bin/porter's command line: the usage text, and arguments parsed into a command, its positional
 * arguments and its flags. A misuse is a BAD_USAGE error (exit 2) that says what was expected.
 */
import type { ZetaError } from '../../src/errors/zeta-error';
import { cliErrors } from '../../src/errors/factories/cli';

export const USAGE = `usage: bin/porter COMMAND [ARGUMENTS] [--json]

  list                        the routes: domains, backend, kind, and whether the config or bin/porter made them
  add DOMAIN BACKEND [--alias DOMAIN]... [--kind http|zope] [--site SITE] [--cert FILE --key FILE] [--https-only]
                              route DOMAIN (and its aliases) to BACKEND, over HTTPS with that certificate
                              (checked: key, expiry, names) or a self-signed one
  move DOMAIN BACKEND [--kind http|zope] [--site SITE]
                              send an existing route to another backend at once (keeps kind and site unless given)
  remove DOMAIN               stop routing DOMAIN (it gets the parked page)
  reset DOMAIN                forget what bin/porter did to DOMAIN: the config's route applies again
  check                       connect to every route's backend; report the dead ones (exit 1 if any)
  apply                       render nginx.conf from the table again and reload
  reload-certificates         check every route's certificate files again and reload (after a renewal)
  maintenance DOMAIN on|off [--page FILE]
                              serve the site's 503 maintenance page at once (its own
                              sites/DOMAIN/maintenance.html, FILE, or the default), or serve the site again

BACKEND is a pool name (porter's pools / external-pools) or host:port. DOMAIN may be *.example.com.
Every change is checked with nginx -t and applied by a graceful reload; no request is dropped.
Exit status: 0 done; 1 a dead backend (check) or a reload nginx did not confirm; 2 bad input, nothing changed;
3 the table's lock is held by another bin/porter or cannot be taken, nothing changed.
`;

export interface Parsed {
  command: string;
  positional: string[];
  flags: {
    kind?: string;
    site?: string;
    cert?: string;
    key?: string;
    httpsOnly?: boolean;
    page?: string;
    aliases: string[];
    json: boolean;
  };
}

export function usage(message: string): ZetaError {
  return cliErrors.badUsage(message, 'run bin/porter help for the commands and their arguments.');
}

export function parse(argv: string[]): Parsed {
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
    else if (arg === '--debug')
      continue; // read by main: a bug's stack trace
    else if (arg === '--kind') flags.kind = value();
    else if (arg === '--site') flags.site = value();
    else if (arg === '--alias') flags.aliases.push(value());
    else if (arg === '--cert') flags.cert = value();
    else if (arg === '--key') flags.key = value();
    else if (arg === '--https-only') flags.httpsOnly = true;
    else if (arg === '--page') flags.page = value();
    else if (arg === '--help' || arg === '-h') positional.unshift('help');
    else if (arg.startsWith('-')) throw usage(`unknown option ${arg}`);
    else positional.push(arg);
  }
  const [command = 'help', ...rest] = positional;
  return { command, positional: rest, flags };
}

export function expect(parsed: Parsed, names: string[]): string[] {
  if (parsed.positional.length !== names.length) {
    throw usage(
      `bin/porter ${parsed.command} takes ${names.length ? names.join(' ') : 'no arguments'}, not ` +
        `${parsed.positional.length ? `"${parsed.positional.join(' ')}"` : 'nothing'}`,
    );
  }
  if (parsed.command !== 'add' && parsed.command !== 'move' && (parsed.flags.kind || parsed.flags.site))
    throw usage(`--kind and --site belong to add and move, not ${parsed.command}`);
  if (parsed.command !== 'add' && parsed.flags.aliases.length) throw usage('--alias belongs to add');
  const { cert, key, httpsOnly } = parsed.flags;
  if (parsed.command !== 'add' && (cert || key || httpsOnly)) {
    throw usage(`--cert, --key and --https-only belong to add, not ${parsed.command}`);
  }
  if (parsed.flags.page !== undefined && !(parsed.command === 'maintenance' && parsed.positional[1] === 'on'))
    throw usage('--page belongs to maintenance DOMAIN on');
  if ((cert === undefined) !== (key === undefined)) {
    throw usage('--cert and --key go together: the certificate file and its private key');
  }
  return parsed.positional;
}
