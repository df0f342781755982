/**
 * Checks for option values that end up inside generated configuration files: host names,
 * addresses and ports, sizes, durations, URL paths, SQL names, and words that go into a config
 * line unquoted (a stats user, a password). A newline, a quote, a semicolon or a brace would
 * break (or inject into) nginx, varnish or haproxy configs, so each check rejects what the file
 * could choke on, with an error at the option. Addresses are split and formatted by the
 * contract's helpers (src/util/address.ts), which Porter uses too.
 */
import { formatAddress, parsePort, splitAddress, type Address, type OptionsContext } from '../../src/recipe';

export { formatAddress };

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

function fail(ctx: OptionsContext, option: string, value: string, what: string, example: string): never {
  throw ctx.error(
    option,
    `option ${option} of [${ctx.name}] is not ${what}: ${JSON.stringify(value)}`,
    `for example: ${option} = ${example}`,
  );
}

export function isValidHost(host: string): boolean {
  return (
    host === '*' ||
    IPV4.test(host) ||
    (host.includes(':') && IPV6.test(host)) ||
    (HOST.test(host) && host.length <= 253)
  );
}

/** A host name or address from an option; rejects anything a config file could choke on. */
export function checkHost(ctx: OptionsContext, option: string, host: string): string {
  if (!isValidHost(host)) {
    throw ctx.error(
      option,
      `"${host}" is not a host name or IP address (option ${option} of [${ctx.name}])`,
      'use letters, digits, dots and dashes (localhost, 127.0.0.1, www.example.com); quotes, spaces, ";", "{" ' +
        'and "}" would break the generated configuration.',
    );
  }
  return host;
}

export function checkPort(ctx: OptionsContext, option: string, text: string): number {
  const port = parsePort(text);
  if (port === undefined)
    throw ctx.error(
      option,
      `port ${JSON.stringify(text)} (option ${option} of [${ctx.name}]) is not a number between 1 and 65535`,
    );
  return port;
}

/** "host:port", "[v6]:port" or a bare port (then `defaultHost`). */
export function parseAddress(ctx: OptionsContext, option: string, text: string, defaultHost = '127.0.0.1'): Address {
  const { host, port } = splitAddress(text, defaultHost);
  return { host: checkHost(ctx, option, host), port: checkPort(ctx, option, port) };
}

/** Rejects characters that would break out of a quoted or line-based config value. */
export function checkConfigValue(
  ctx: OptionsContext,
  option: string,
  value: string,
  forbidden = /[\n\r"';{}\\]/,
): string {
  if (forbidden.test(value)) {
    throw ctx.error(
      option,
      `option ${option} of [${ctx.name}] contains a character that would break the generated configuration: ` +
        `${JSON.stringify(value)}`,
      'remove newlines, quotes, semicolons, braces and backslashes from it.',
    );
  }
  return value;
}

/** 64M, 1G, 512k (memory sizes as the daemons write them). */
export function checkSize(ctx: OptionsContext, option: string, value: string, example = '64M'): string {
  if (!/^\d+[kKmMgGtT]?$/.test(value.trim()))
    fail(ctx, option, value, 'a size (a number with an optional k, M, G or T)', example);
  return value.trim();
}

/** 500ms, 2s, 1m: haproxy and varnish time units. */
export function checkDuration(ctx: OptionsContext, option: string, value: string, example = '2s'): string {
  if (!/^\d+(?:\.\d+)?(?:us|ms|s|m|h|d)$/.test(value.trim()))
    fail(ctx, option, value, 'a duration (a number and us, ms, s, m, h or d)', example);
  return value.trim();
}

/** An absolute URL path without spaces, quotes or config syntax (/_nginx_status_, /system_error). */
export function checkUrlPath(ctx: OptionsContext, option: string, value: string, example = '/system_error'): string {
  if (!/^\/[A-Za-z0-9._~!$&()*+,=:@%/-]*$/.test(value.trim()))
    fail(ctx, option, value, 'a URL path (starting with "/", no spaces, quotes, ";" or braces)', example);
  return value.trim();
}

/** A database, SQL user or Zope site name: letters, digits, "_" (and "-" where allowed). */
export function checkName(
  ctx: OptionsContext,
  option: string,
  value: string,
  example: string,
  pattern = /^[A-Za-z0-9_]{1,64}$/,
): string {
  if (!pattern.test(value)) fail(ctx, option, value, 'a name of letters, digits and "_"', example);
  return value;
}

/** A word that goes unquoted into a config line: no whitespace, quotes, "#", ";", braces or backslashes. */
export function checkWord(ctx: OptionsContext, option: string, value: string, example: string, extra = ''): string {
  const bad = new RegExp(`[\\s"'#;{}\\\\${extra.replace(/[\]\\^-]/g, '\\$&')}]`);
  if (!value || bad.test(value)) {
    throw ctx.error(
      option,
      `option ${option} of [${ctx.name}] cannot be used in the generated configuration: ` +
        `${value ? 'it contains a space, quote, "#", ";", brace or backslash' : 'it is empty'}${extra ? ` (or one of ${JSON.stringify(extra)})` : ''}`,
      `for example: ${option} = ${example}`,
    );
  }
  return value;
}

/** A whole number option given as text (from a data section) within bounds. */
export function checkCount(ctx: OptionsContext, option: string, value: string, min: number, max: number): number {
  const number = /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(number) || number < min || number > max)
    fail(ctx, option, value, `a whole number from ${min} to ${max}`, String(min));
  return number;
}
