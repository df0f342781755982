/**
 * The routing options of a front door (the porter recipe, and nginx with front-door = on), minus
 * the paths: reads `pools`, `external-pools`, `routes`, developer access, logging and timeouts
 * into settings, checking every value that ends up in nginx.conf. Pure (no disk, no network: host names are resolved at install). Problems
 * in a multi-line option are collected, so one error lists every bad line of it.
 */
import { isIP } from 'node:net';
import type { Address, OptionsContext } from '../../src/recipe';
import { formatAddress, parseAddress } from './checks';
import {
  checkCertificateFiles,
  type Problem,
  checkAddress,
  checkDomain,
  parseRouteLine,
  POOL_NAME,
  type Pool,
  type Route,
  reservedNames,
  type DeveloperAccess,
  type PorterSettings,
  takenDomain,
} from '../../programs/porter/public';

export type ConfigSettings = Pick<
  PorterSettings,
  | 'listen'
  | 'https'
  | 'hsts'
  | 'workers'
  | 'pools'
  | 'routes'
  | 'developer'
  | 'connectTimeout'
  | 'readTimeout'
  | 'syslog'
  | 'user'
>;

const FACILITIES = [
  'kern',
  'user',
  'mail',
  'daemon',
  'auth',
  'intern',
  'lpr',
  'news',
  'uucp',
  'clock',
  'authpriv',
  'ftp',
  'ntp',
  'audit',
  'alert',
  'cron',
  'local0',
  'local1',
  'local2',
  'local3',
  'local4',
  'local5',
  'local6',
  'local7',
];

type Found = Array<{ line: number; problem: Pick<Problem, 'message' | 'hint'> }>;

/** Throws one error at `option` listing every problem found in it (line by line). */
function fail(ctx: OptionsContext, option: string, found: Found): never {
  if (found.length === 1)
    throw ctx.error(option, `${found[0].problem.message} (line ${found[0].line} of ${option})`, found[0].problem.hint);
  const lines = found.map(({ line, problem }) => `line ${line}: ${problem.message}`);
  throw ctx.error(
    option,
    `${found.length} problems in option ${option} of [${ctx.name}]:\n${lines.join('\n')}`,
    found[0].problem.hint,
  );
}

function readPools(ctx: OptionsContext, option: string, external: boolean, taken: Set<string>): Pool[] {
  const pools: Pool[] = [];
  const found: Found = [];
  ctx.options.lines(option).forEach((text, index) => {
    const [name, ...addresses] = text.split(/\s+/);
    const problem = (message: string, hint: string): void => {
      found.push({ line: index + 1, problem: { message, hint } });
    };
    if (!POOL_NAME.test(name))
      return problem(
        `pool name "${name}" must start with a letter and hold only lower-case letters, digits and "-" (at most 31)`,
        'a pool line is: NAME ADDRESS [ADDRESS ...], for example: plone ${haproxy:address}',
      );
    if (taken.has(name))
      return problem(
        `pool "${name}" is defined twice`,
        'pool names are shared by pools and external-pools; rename one.',
      );
    if (!addresses.length)
      return problem(`pool "${name}" has no address`, `for example: ${name} 127.0.0.1:8080 127.0.0.1:8081`);
    const checked = addresses.map(checkAddress);
    const bad = checked.find((c) => c.problem);
    if (bad?.problem) return void found.push({ line: index + 1, problem: bad.problem });
    taken.add(name);
    pools.push({ name, addresses: checked.map((c) => c.value!), external });
  });
  if (found.length) fail(ctx, option, found);
  return pools;
}

function readRoutes(ctx: OptionsContext, pools: Pool[], reserved: Map<string, string>): Route[] {
  const routes: Route[] = [];
  const found: Array<{ line: number; problem: Problem }> = [];
  ctx.options.lines('routes').forEach((text, index) => {
    const parsed = parseRouteLine(text, pools, ctx.paths.directory);
    for (const problem of parsed.problems) found.push({ line: index + 1, problem });
    if (!parsed.route) return;
    const tls = parsed.route.tls;
    // read as inputs: a renewed certificate reinstalls the part (and is checked again)
    const refused = tls && checkCertificateFiles(tls, parsed.route.domains, (file) => ctx.readInput(file)?.text);
    if (refused) return void found.push({ line: index + 1, problem: refused });
    const taken = takenDomain(routes, parsed.route.domains, reserved);
    if (taken) found.push({ line: index + 1, problem: taken });
    else routes.push(parsed.route);
  });
  if (found.length) fail(ctx, 'routes', found);
  return routes;
}

function readDeveloper(ctx: OptionsContext): DeveloperAccess | undefined {
  const text = ctx.options.get('developer-domain')?.trim();
  if (!text) return undefined;
  const domain = checkDomain(text);
  if (domain.problem || text.includes('*'))
    throw ctx.error(
      'developer-domain',
      domain.problem?.message ?? `developer-domain "${text}" cannot be a wildcard`,
      'give the base domain, for example dev.example.com: pools are then reached as POOL.dev.example.com and ' +
        'POOL_PORT.dev.example.com.',
    );
  const words = ctx.options.has('developer-allow') ? ctx.options.words('developer-allow') : ['127.0.0.1', '::1'];
  if (words.includes('all')) return { domain: domain.value, allow: [] };
  for (const word of words) {
    const [ip, bits, ...rest] = word.split('/');
    const family = isIP(ip);
    const okBits = bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 6 ? 128 : 32));
    if (!family || !okBits || rest.length)
      throw ctx.error(
        'developer-allow',
        `"${word}" is not an IP address or CIDR block`,
        'list who may use developer access, for example: 127.0.0.1 10.0.0.0/8 ::1 (or "all").',
      );
  }
  return { domain: domain.value, allow: words };
}

function readSyslog(ctx: OptionsContext): PorterSettings['syslog'] {
  const text = ctx.options.get('syslog')?.trim();
  if (!text) return undefined;
  const address: Address = parseAddress(ctx, 'syslog', text, '127.0.0.1');
  const facility = ctx.options.get('syslog-facility')?.trim() || 'local7';
  if (!FACILITIES.includes(facility))
    throw ctx.error(
      'syslog-facility',
      `syslog facility "${facility}" is unknown`,
      `use one of: ${FACILITIES.join(', ')}.`,
    );
  const tag = ctx.options.get('syslog-tag')?.trim() || ctx.name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 32);
  if (!/^[A-Za-z0-9_]{1,32}$/.test(tag))
    throw ctx.error('syslog-tag', `syslog tag "${tag}" may hold only letters, digits and "_" (at most 32)`);
  return { server: formatAddress(address), facility, tag };
}

/**
 * The routing options (pools, external-pools, routes, developer access, HSTS, timeouts, syslog),
 * for a front door listening on `https` (none: a route may not ask for TLS). Shared by the porter
 * recipe and the nginx recipe with front-door = on, whose own sites (`sites`) no route may claim.
 */
export function readRoutingOptions(
  ctx: OptionsContext,
  https: Address[],
  sites: PorterSettings['embedded'] = undefined,
  httpsOption = 'listen-https',
): Omit<ConfigSettings, 'listen' | 'https' | 'workers' | 'user'> {
  const taken = new Set<string>();
  const pools = [...readPools(ctx, 'pools', false, taken), ...readPools(ctx, 'external-pools', true, taken)];
  const developer = readDeveloper(ctx);
  const routes = readRoutes(ctx, pools, reservedNames({ developer, pools, embedded: sites, name: ctx.name }));
  const tlsRoute = https.length ? undefined : routes.find((route) => route.tls || route.httpsOnly);
  if (tlsRoute) {
    throw ctx.error(
      'routes',
      `route ${tlsRoute.domains[0]} has a certificate or https-only, but [${ctx.name}] has no ${httpsOption}`,
      `add ${httpsOption} (for example ${httpsOption} = 0.0.0.0:443), or drop cert=, key= and https-only from the route.`,
    );
  }
  return {
    pools,
    routes,
    developer,
    hsts: ctx.options.int('hsts', 0, { min: 0, max: 63_072_000 }),
    connectTimeout: ctx.options.int('connect-timeout', 5, { min: 1, max: 300 }),
    readTimeout: ctx.options.int('read-timeout', 60, { min: 1, max: 3600 }),
    syslog: readSyslog(ctx),
  };
}
