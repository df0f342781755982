/**
 * The view haproxy's config template is rendered with: every option checked (durations, counts,
 * the stats credentials that go unquoted into `stats auth`), the servers, and the fallback.
 */
import type { Address, OptionsContext } from '../../src/recipe';
import { checkCount, checkDuration, checkUrlPath, checkWord, formatAddress, parseAddress } from '../shared/checks';
import { serverView, type Server } from './backends';
import { renderFromTemplate } from '../shared/templates';

interface Setup {
  bind: Address;
  stats?: Address;
  servers: Server[];
  files: { config: string; pid: string; socket: string; state: string };
}

function duration(ctx: OptionsContext, option: string, fallback: string): string {
  return checkDuration(ctx, option, ctx.options.get(option)?.trim() || fallback, fallback);
}

/** `fallback = 503` or `fallback = redirect /system_error`. */
function fallback(ctx: OptionsContext): string | false {
  const value = (ctx.options.get('fallback') ?? '503').trim();
  if (value === '503') return false;
  const redirect = /^redirect\s+(\S+)$/.exec(value);
  if (!redirect)
    throw ctx.error(
      'fallback',
      `option fallback of [${ctx.name}] must be 503 or "redirect URL", not ${JSON.stringify(value)}`,
      'for example: fallback = redirect /system_error',
    );
  return checkUrlPath(ctx, 'fallback', redirect[1]);
}

function checkPath(ctx: OptionsContext, servers: Server[]): string {
  if (ctx.options.has('check-path'))
    return checkUrlPath(ctx, 'check-path', ctx.options.required('check-path'), '/health');
  const paths = [...new Set(servers.map((s) => s.checkPath ?? '/'))];
  if (paths.length > 1)
    throw ctx.error(
      'backends',
      `the instances have different health-check paths (${paths.join(', ')}); haproxy checks them all the same way`,
      'set check-path on this part, or the same health-check on every instance.',
    );
  return paths[0];
}

/**
 * The origins (scheme://host:port) whose pages may send admin actions to the stats page: its own
 * address (on loopback or every interface, also the loopback names a browser uses) and the
 * `stats-origins` given. A cross-site form cannot pass: browsers send the page's Origin with it.
 */
function statsOrigins(ctx: OptionsContext, stats: Address): string[] {
  const hosts = ['0.0.0.0', '::', '*', '127.0.0.1', '::1', 'localhost'].includes(stats.host)
    ? ['127.0.0.1', 'localhost', '[::1]']
    : [stats.host.includes(':') ? `[${stats.host}]` : stats.host];
  const origins = hosts.map((host) => `http://${host}:${stats.port}`);
  for (const origin of ctx.options.words('stats-origins')) {
    if (!/^https?:\/\/[A-Za-z0-9.:[\]-]+$/.test(origin))
      throw ctx.error(
        'stats-origins',
        `${JSON.stringify(origin)} in option stats-origins of [${ctx.name}] is not an origin`,
        'an origin is scheme://host[:port] as a browser sends it, e.g. stats-origins = https://stats.example.com',
      );
    origins.push(origin);
  }
  return [...new Set(origins)];
}

export function haproxyView(ctx: OptionsContext, setup: Setup): Record<string, unknown> {
  const syslog = ctx.options.get('syslog')?.trim();
  const admin = setup.stats && ctx.options.bool('stats-admin', false);
  if (!setup.stats && ctx.options.bool('stats-admin', false))
    throw ctx.error(
      'stats-admin',
      `stats-admin = on needs a stats page: option stats of [${ctx.name}] is empty`,
      'set stats = HOST:PORT, or leave stats-admin out.',
    );
  const origins = admin ? statsOrigins(ctx, setup.stats!) : [];
  const stats = setup.stats
    ? {
        stats: formatAddress(setup.stats),
        stats_user: checkWord(ctx, 'stats-user', ctx.options.required('stats-user'), 'admin', ':'),
        stats_password: checkWord(ctx, 'stats-password', ctx.options.required('stats-password'), 'a-long-secret'),
        stats_admin: admin ? { origins: origins.join(' '), referers: origins.map((o) => `${o}/`).join(' ') } : false,
      }
    : { stats: false };
  return {
    part: ctx.name,
    config_file: setup.files.config,
    pid_file: setup.files.pid,
    socket: setup.files.socket,
    state_file: setup.files.state,
    maxconn: checkCount(ctx, 'maxconn', ctx.options.get('maxconn') ?? '4096', 1, 1_000_000),
    syslog: syslog ? formatAddress(parseAddress(ctx, 'syslog', syslog)) : false,
    retries: ctx.options.int('retries', 1, { min: 0, max: 10 }),
    timeout_connect: duration(ctx, 'timeout-connect', '2s'),
    timeout_client: duration(ctx, 'timeout-client', '60s'),
    timeout_server: duration(ctx, 'timeout-server', '120s'),
    timeout_queue: duration(ctx, 'timeout-queue', '60s'),
    timeout_check: duration(ctx, 'timeout-check', '1s'),
    frontend: 'www',
    bind: formatAddress(setup.bind),
    monitor_uri: '/_haproxy_ping_',
    backend: 'zope',
    fallback_backend: 'fallback',
    check_path: checkPath(ctx, setup.servers),
    inter: duration(ctx, 'inter', '1s'),
    fastinter: duration(ctx, 'fastinter', '250ms'),
    downinter: duration(ctx, 'downinter', '250ms'),
    fall: ctx.options.int('fall', 2, { min: 1, max: 100 }),
    rise: ctx.options.int('rise', 1, { min: 1, max: 100 }),
    servers: serverView(setup.servers),
    fallback_redirect: fallback(ctx),
    ...stats,
  };
}

export function renderTemplate(ctx: OptionsContext, view: Record<string, unknown>): string {
  return renderFromTemplate(ctx, 'template', view, 'haproxy', 'haproxy.conf');
}
