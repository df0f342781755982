/**
 * What every service recipe puts into its ProgramSpec besides the command: the environment
 * (exactly what the program gets: a fixed PATH and locale plus the part's `environment` lines,
 * nothing from the assembler's shell), the start priority and the readiness and stop timeouts
 * (options `priority`, `ready-timeout`, `stop-timeout`, in seconds), and readiness URLs that work
 * when a daemon binds every interface.
 */
import type { Address, OptionsContext } from '../../src/recipe';

/** Daemons find their helpers here (varnishd runs the C compiler on PATH to compile VCL). */
export const SYSTEM_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const VARIABLE = /^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/;

/** `environment` option: one `NAME=value` per line. */
export function programEnvironment(ctx: OptionsContext, base: Record<string, string> = {}): Record<string, string> {
  const environment: Record<string, string> = { PATH: SYSTEM_PATH, LANG: 'C.UTF-8', ...base };
  for (const line of ctx.options.lines('environment')) {
    const match = VARIABLE.exec(line);
    if (!match)
      throw ctx.error(
        'environment',
        `cannot read ${JSON.stringify(line)} in option environment of [${ctx.name}]`,
        'write one NAME=value per line, e.g. TZ=UTC.',
      );
    environment[match[1]] = match[2];
  }
  return environment;
}

export interface Timing {
  priority: number;
  readyTimeoutMs: number;
  stopTimeoutMs: number;
}

/** Start priority and timeouts, each overridable by an option of the part. */
export function programTiming(ctx: OptionsContext, defaults: Timing): Timing {
  return {
    priority: ctx.options.int('priority', defaults.priority, { min: 0, max: 999 }),
    readyTimeoutMs: ctx.options.int('ready-timeout', defaults.readyTimeoutMs / 1000, { min: 1, max: 3600 }) * 1000,
    stopTimeoutMs: ctx.options.int('stop-timeout', defaults.stopTimeoutMs / 1000, { min: 1, max: 3600 }) * 1000,
  };
}

/** Where a local client reaches a daemon bound to `host` (a wildcard means loopback). */
export function connectHost(host: string): string {
  if (host === '0.0.0.0' || host === '*' || host === '') return '127.0.0.1';
  if (host === '::') return '::1';
  return host;
}

export function localUrl(address: Address, urlPath: string, scheme = 'http'): string {
  const host = connectHost(address.host);
  return `${scheme}://${host.includes(':') ? `[${host}]` : host}:${address.port}${urlPath}`;
}

/** `check-upstream = false` leaves the next hop out of the assembly check (a backend outside the deployment). */
export function upstreamOf(ctx: OptionsContext, addresses: Address[]): Address[] | undefined {
  return ctx.options.bool('check-upstream', true) ? addresses : undefined;
}
