/**
 * The varnish recipe's checked values: the VCL view (backend, PURGE ACL, timeouts, cookie
 * whitelist) and the runtime parameters (-p name=value from `tuning` and `cc-command`).
 */
import type { Address, OptionsContext } from '../../src/recipe';
import { checkDuration, checkUrlPath, isValidHost } from '../shared/checks';

interface Setup {
  backend: Address;
  config: string;
  vclVersion: string;
  varnishVersion: string;
}

function duration(ctx: OptionsContext, option: string, fallback: string): string {
  return checkDuration(ctx, option, ctx.options.get(option)?.trim() || fallback, fallback);
}

/** allow-purge entries as VCL ACL lines: "host"; or "10.0.0.0"/8; */
function aclEntries(ctx: OptionsContext): string[] {
  const words = ctx.options.has('allow-purge') ? ctx.options.words('allow-purge') : ['127.0.0.1'];
  return words.map((word) => {
    const [host, bits, extra] = word.split('/');
    const maxBits = host.includes(':') ? 128 : 32;
    if (
      extra !== undefined ||
      !isValidHost(host) ||
      host === '*' ||
      (bits !== undefined && !(/^\d+$/.test(bits) && Number(bits) <= maxBits))
    ) {
      throw ctx.error(
        'allow-purge',
        `${JSON.stringify(word)} in option allow-purge of [${ctx.name}] is not a host, an address or a network`,
        'for example: allow-purge = 127.0.0.1 10.0.0.0/8 backend.example.com',
      );
    }
    return bits === undefined ? `"${host}"` : `"${host}"/${bits}`;
  });
}

/** The storage backend, as -s takes it (malloc,128M / file,/path,1G / default). */
function storage(ctx: OptionsContext): string {
  const value = ctx.options.get('storage')?.trim() || 'malloc,128M';
  if (!/^(?:[a-z][a-z0-9_]*=)?(?:malloc|file|default|umem)(?:,[A-Za-z0-9_./%-]+)*$/.test(value)) {
    throw ctx.error(
      'storage',
      `option storage of [${ctx.name}] is not a varnish storage: ${JSON.stringify(value)}`,
      'for example: storage = malloc,128M',
    );
  }
  return value;
}

export function varnishView(ctx: OptionsContext, setup: Setup): Record<string, unknown> {
  const whitelist = ctx.options.has('cookie-whitelist')
    ? ctx.options.words('cookie-whitelist')
    : ['statusmessages', '__ac', '_ZopeId', '__cp'];
  for (const cookie of whitelist)
    if (!/^[A-Za-z0-9_-]+$/.test(cookie))
      throw ctx.error('cookie-whitelist', `${JSON.stringify(cookie)} is not a cookie name`);
  return {
    part: ctx.name,
    config_file: setup.config,
    vcl_version: setup.vclVersion,
    varnish_version: setup.varnishVersion,
    backend_name: 'balancer',
    backend_host: setup.backend.host,
    backend_port: setup.backend.port,
    connect_timeout: duration(ctx, 'connect-timeout', '5s'),
    first_byte_timeout: duration(ctx, 'first-byte-timeout', '120s'),
    between_bytes_timeout: duration(ctx, 'between-bytes-timeout', '60s'),
    allow_purge: aclEntries(ctx),
    ping_url: checkUrlPath(ctx, 'ping-url', ctx.options.get('ping-url') ?? '/_varnish_ping_', '/_varnish_ping_'),
    cookie_whitelist: whitelist.join('|'),
    grace: duration(ctx, 'grace', '10m'),
    default_anonymous_ttl: duration(ctx, 'anonymous-ttl', '10s'),
    verbose_headers: ctx.options.bool('verbose-headers', false),
    storage: storage(ctx),
  };
}

/** `cc-command`, checked: one line. */
export function ccCommand(ctx: OptionsContext): string | undefined {
  const cc = ctx.options.get('cc-command')?.trim();
  if (cc && /[\n\r]/.test(cc)) throw ctx.error('cc-command', 'cc-command must be one line');
  return cc || undefined;
}

/**
 * -p parameters: `tuning` (name=value words or lines; a leading -p is accepted) and the
 * cc_command: `compile` (the compiled-VCL cache's wrapper) or else `cc-command` as given.
 */
export function runtimeParameters(ctx: OptionsContext, compile: string | undefined): string[] {
  const words = ctx.options.words('tuning').filter((w) => w !== '-p');
  const parameters = words.map((word) => {
    if (!/^[a-z_]+=[A-Za-z0-9_.,:+-]+$/.test(word)) {
      throw ctx.error(
        'tuning',
        `cannot use ${JSON.stringify(word)} in option tuning of [${ctx.name}]`,
        'write runtime parameters as name=value, e.g. tuning = thread_pool_min=50 default_ttl=120',
      );
    }
    return word;
  });
  if (compile) parameters.push(`cc_command=${compile}`);
  return parameters;
}
