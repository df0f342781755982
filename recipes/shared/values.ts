/**
 * Checks for values that end up inside generated configuration files: a host name, an address,
 * a port, a size. A newline, a quote, a semicolon or a brace in a host name would break (or
 * inject into) nginx, varnish or haproxy configs, so such values are rejected at assembly with
 * an error naming the option.
 */
import type { Address, OptionsContext } from '../../src/recipe';

const HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const IPV4 = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

export function isValidHost(host: string): boolean {
  return host === '*' || IPV4.test(host) || (host.includes(':') && IPV6.test(host)) || (HOST.test(host) && host.length <= 253);
}

/** A host name or address from an option; rejects anything a config file could choke on. */
export function checkHost(ctx: OptionsContext, option: string, host: string): string {
  if (!isValidHost(host)) {
    throw ctx.error(option, `"${host}" is not a host name or IP address (option ${option} of [${ctx.name}])`,
      'use letters, digits, dots and dashes (localhost, 127.0.0.1, www.example.com); quotes, spaces, ";", "{" and "}" would break the generated configuration.');
  }
  return host;
}

export function checkPort(ctx: OptionsContext, option: string, text: string): number {
  const port = /^\d+$/.test(text.trim()) ? Number(text.trim()) : Number.NaN;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw ctx.error(option, `port ${JSON.stringify(text)} (option ${option} of [${ctx.name}]) is not a number between 1 and 65535`);
  }
  return port;
}

/** "host:port", "[v6]:port" or a bare port (then `defaultHost`). */
export function parseAddress(ctx: OptionsContext, option: string, text: string, defaultHost = '127.0.0.1'): Address {
  const value = text.trim();
  let host = defaultHost;
  let port = value;
  const v6 = /^\[([^\]]+)\]:(\d+)$/.exec(value);
  if (v6) [host, port] = [v6[1], v6[2]];
  else if (value.includes(':')) {
    const at = value.lastIndexOf(':');
    [host, port] = [value.slice(0, at), value.slice(at + 1)];
  }
  return { host: checkHost(ctx, option, host), port: checkPort(ctx, option, port) };
}

/** Rejects characters that would break out of a quoted or line-based config value. */
export function checkConfigValue(ctx: OptionsContext, option: string, value: string, forbidden = /[\n\r"';{}\\]/): string {
  if (forbidden.test(value)) {
    throw ctx.error(option, `option ${option} of [${ctx.name}] contains a character that would break the generated configuration: ${JSON.stringify(value)}`,
      'remove newlines, quotes, semicolons, braces and backslashes from it.');
  }
  return value;
}

export function formatAddress(address: Address): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
