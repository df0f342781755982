/**
 * Addresses as configurations write them: `host:port`, `[v6]:port`, or a bare port where a
 * default host makes sense (a listen address). One splitter and one formatter for the recipes
 * and Porter, so that an address parsed by one and printed by the other reads the same; what a
 * host may be is the caller's rule (a config-safe name for a recipe, a routable backend for
 * Porter).
 */

export interface HostPort {
  host: string;
  port: number;
}

/**
 * The host and the port text of an address, unchecked: `[::1]:80` -> `::1` and `80`; the last
 * colon splits `a:b:c`; without a colon the text is the port of `defaultHost`, or (with no
 * default) a host with an empty port.
 */
export function splitAddress(text: string, defaultHost?: string): { host: string; port: string } {
  const value = text.trim();
  const bracketed = /^\[([^\]]*)\]:([^:]*)$/.exec(value);
  if (bracketed) return { host: bracketed[1], port: bracketed[2] };
  const at = value.lastIndexOf(':');
  if (at >= 0) return { host: value.slice(0, at), port: value.slice(at + 1) };
  return defaultHost === undefined ? { host: value, port: '' } : { host: defaultHost, port: value };
}

/** A TCP port: a whole number from 1 to 65535 written in digits, or undefined. */
export function parsePort(text: string): number | undefined {
  const value = text.trim();
  if (!/^\d{1,5}$/.test(value)) return undefined;
  const port = Number(value);
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** `host:port`, with an IPv6 host in brackets. */
export function formatAddress(address: HostPort): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}
