/**
 * The pieces of a routing table and their checks: a route sends one or more domains (the first is
 * its name, the others aliases; `*.example.com` is a wildcard) to a backend, which is a pool name
 * or a `host:port`, as `http` (untouched) or `zope` (Zope virtual hosting, with a site id).
 * Every value that reaches the generated nginx config passes one of these checks, so nothing a
 * user types can break out of it. The checks return problems as data.
 */
import { isIP } from 'node:net';
import * as path from 'node:path';
import type { Address } from '../../src/recipe';
import { problems, type Problem } from '../../src/errors/factories/porter-problems';
import { formatAddress, parsePort, splitAddress } from '../../src/util/address';

export { formatAddress };

export type RouteKind = 'http' | 'zope';

export interface Route {
  /** domains[0] names the route; the rest are aliases. Lower case, no trailing dot. */
  domains: string[];
  /** A pool name, or an address written as host:port ([v6]:port). */
  backend: string;
  kind: RouteKind;
  /** Zope site id (or path) for zope routes. */
  site?: string;
  /** The route's own certificate and key (absolute paths); without one it gets a self-signed one. */
  tls?: { certificate: string; key: string };
  /** Plain HTTP requests get a 301 to HTTPS. */
  httpsOnly?: boolean;
}

/** A named group of backend addresses: the deployment's own (`pools`) or outside it. */
export interface Pool {
  name: string;
  addresses: Address[];
  /** Outside the deployment: not declared as the program's upstream, not checked at assembly. */
  external: boolean;
}

export type Checked<T> = { value: T; problem?: undefined } | { value?: undefined; problem: Problem };

const LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const SITE = /^[A-Za-z0-9_.~-]+(?:\/[A-Za-z0-9_.~-]+)*$/;
export const POOL_NAME = /^[a-z][a-z0-9-]{0,30}$/;

/** A domain as nginx will match it: lower case, no trailing dot, optional leading "*.". */
export function checkDomain(text: string): Checked<string> {
  const domain = text.trim().toLowerCase().replace(/\.$/, '');
  const fail = (why: string): Checked<string> => ({ problem: problems.badDomain(text, why) });
  if (!domain) return fail('it is empty');
  if (domain.length > 253) return fail('it is longer than 253 characters');
  const wildcard = domain.startsWith('*.');
  const labels = (wildcard ? domain.slice(2) : domain).split('.');
  if (labels.some((label) => label.includes('*')))
    return fail('"*" may only stand alone as the first label ("*.example.com")');
  const bad = labels.find((label) => !LABEL.test(label));
  if (bad !== undefined)
    return fail(
      bad === ''
        ? 'it has an empty label (two dots in a row)'
        : `the label "${bad}" has characters other than letters, digits and inner "-", or is longer than 63`,
    );
  if (/^\d+$/.test(labels[labels.length - 1])) return fail('it looks like an IP address; route names, not addresses');
  if (wildcard && labels.length < 2)
    return fail('a wildcard needs at least two labels after "*." (it would take a whole top-level domain)');
  return { value: domain };
}

/** host:port or [v6]:port, with the port in range and a host a config can hold. */
export function checkAddress(text: string): Checked<Address> {
  const { host, port: portText } = splitAddress(text);
  const port = parsePort(portText);
  if (port === undefined) return { problem: problems.badPort(portText) };
  const ip = isIP(host);
  if (text.trim().startsWith('[') ? ip !== 6 : ip === 6) return { problem: problems.badHost(host) };
  if (ip === 0 && (checkDomain(host).problem || host.includes('*'))) return { problem: problems.badHost(host) };
  if (host === '0.0.0.0' || host === '::') return { problem: problems.badHost(host) };
  return { value: { host: ip ? host : host.toLowerCase(), port } };
}

/** A pool name, or an address (normalised to host:port). */
export function checkBackend(text: string, pools: Pool[]): Checked<string> {
  const value = text.trim();
  if (value.includes(':')) {
    const address = checkAddress(value);
    return address.problem ? address : { value: formatAddress(address.value) };
  }
  if (pools.some((pool) => pool.name === value)) return { value };
  return {
    problem: problems.unknownPool(
      value,
      pools.map((p) => p.name),
    ),
  };
}

/** The kind and site of a route: http takes no site, zope needs one. */
export function checkKind(kind: string, site: string | undefined): Checked<{ kind: RouteKind; site?: string }> {
  if (kind !== 'http' && kind !== 'zope') return { problem: problems.badKind(kind) };
  if (kind === 'http') return site === undefined ? { value: { kind } } : { problem: problems.badSite(site, kind) };
  if (site === undefined || !SITE.test(site) || site.split('/').some((s) => s === '.' || s === '..'))
    return { problem: problems.badSite(site, kind) };
  return { value: { kind, site } };
}

/** The addresses a backend stands for. */
export function backendAddresses(backend: string, pools: Pool[]): Address[] {
  const pool = pools.find((p) => p.name === backend);
  if (pool) return pool.addresses;
  const address = checkAddress(backend);
  return address.value ? [address.value] : [];
}

/** A certificate or key path nginx can take in a quoted string, made absolute against `base`. */
export function checkTlsPath(text: string, base: string): Checked<string> {
  if (!text || /[$"\\\s\0;{}]/.test(text)) return { problem: problems.badTlsPath(text) };
  return { value: path.resolve(base, text) };
}

type TlsWords = { tls?: Route['tls']; httpsOnly?: boolean; problems: Problem[] };

/** The TLS words at the end of a route line: `cert=FILE key=FILE` (both or neither), `https-only`. */
function readTlsWords(line: string, words: string[], base: string): TlsWords {
  const found: Problem[] = [];
  const given = new Map<string, string>();
  let httpsOnly: boolean | undefined;
  for (const word of words) {
    const [name, value] = word.split(/=(.*)/s);
    if (word === 'https-only') httpsOnly = true;
    else if ((name === 'cert' || name === 'key') && value !== undefined) given.set(name, value);
    else found.push(problems.badLine(line, `unexpected "${word}" after the backend`));
  }
  const half = given.has('cert') ? 'cert= without key=' : 'key= without cert=';
  if (given.size === 1) found.push(problems.badLine(line, `it gives ${half}`));
  if (given.size < 2 || found.length) return { httpsOnly, problems: found };
  const certificate = checkTlsPath(given.get('cert')!, base);
  const key = checkTlsPath(given.get('key')!, base);
  for (const checked of [certificate, key]) if (checked.problem) found.push(checked.problem);
  if (found.length) return { problems: found };
  return { tls: { certificate: certificate.value!, key: key.value! }, httpsOnly, problems: [] };
}

/**
 * A config line: `DOMAIN [ALIAS ...] -> BACKEND [http | zope SITE] [cert=FILE key=FILE] [https-only]`.
 * Returns every problem of the line (a bad alias and a bad backend are reported together).
 * Relative certificate paths are relative to `base` (the buildout directory).
 */
export function parseRouteLine(line: string, pools: Pool[], base = '/'): { route?: Route; problems: Problem[] } {
  const [left, right, ...extra] = line.split('->');
  if (right === undefined || extra.length)
    return { problems: [problems.badLine(line, right === undefined ? 'it has no "->"' : 'it has more than one "->"')] };
  const names = left.trim().split(/\s+/).filter(Boolean);
  const allWords = right.trim().split(/\s+/).filter(Boolean);
  const firstTls = allWords.findIndex((word, i) => i > 0 && (word === 'https-only' || /^(cert|key)=/.test(word)));
  const tlsWords = readTlsWords(line, firstTls < 0 ? [] : allWords.slice(firstTls), base);
  const [backendText, kind = 'http', site, ...rest] = firstTls < 0 ? allWords : allWords.slice(0, firstTls);
  const found: Problem[] = [...tlsWords.problems];
  if (!names.length) found.push(problems.badLine(line, 'it names no domain before "->"'));
  if (backendText === undefined) found.push(problems.badLine(line, 'it names no backend after "->"'));
  if (rest.length) found.push(problems.badLine(line, `unexpected "${rest.join(' ')}" after the site`));
  const domains = names.map(checkDomain);
  const backend = backendText === undefined ? undefined : checkBackend(backendText, pools);
  const kindSite = checkKind(kind, site);
  for (const checked of [...domains, backend, kindSite]) if (checked?.problem) found.push(checked.problem);
  if (found.length) return { problems: found };
  const route: Route = { domains: domains.map((d) => d.value!), backend: backend!.value!, ...kindSite.value! };
  if (tlsWords.tls) route.tls = tlsWords.tls;
  if (tlsWords.httpsOnly) route.httpsOnly = true;
  return { route, problems: [] };
}
