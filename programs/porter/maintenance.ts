/**
 * Maintenance per site: `bin/porter maintenance DOMAIN on|off [--page FILE]`. The overlay lists
 * the sites in maintenance with the page each one shows; nginx.conf maps a server's name to that
 * page ($porter_maintenance), and every routed server (and the site server of an nginx part that
 * is a front door) carries the same few lines that answer 503 with it. Switching is a graceful
 * reload like any route change: requests already inside the old workers finish normally, every
 * later one gets the page.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import * as path from 'node:path';
import { problems, type Problem } from '../../src/errors/factories/porter-problems';
import { nginxString } from '../nginx/public';
import type { Overlay } from './table';

export interface Maintenance {
  /** The route's (or site's) first domain: nginx's $server_name for its server. */
  domain: string;
  /** The absolute path of the page served with the 503. */
  page: string;
}

/** The page a site shows when none is given: its own sites/DOMAIN/maintenance.html, else the default. */
export function defaultMaintenancePage(pages: string, fallback: string, domain: string): string {
  const own = path.join(pages, 'sites', domain, 'maintenance.html');
  try {
    if (statSync(own).isFile()) return own;
  } catch {
    // no page of its own
  }
  return fallback;
}

/**
 * Whether `user` can read `file`, asked of the kernel as that user (ACLs count). Run by root only:
 * otherwise the workers are the caller, whom accessSync has asked already.
 */
function readableBy(user: string, file: string): boolean {
  const result = spawnSync('runuser', ['-u', user, '--', 'test', '-r', file], { stdio: 'ignore', timeout: 5000 });
  return result.error === undefined && result.status === 0;
}

/**
 * A page given on the command line: absolute, readable (by `reader`, nginx's workers, when we
 * are root: a page they cannot open would be a bare 503), and a path nginx can hold.
 */
export function checkPage(file: string, base: string, reader?: string): { value?: string; problem?: Problem } {
  const absolute = path.resolve(base, file);
  if (/[$"\\\n\r\0]/.test(absolute)) return { problem: problems.badPage(file, 'its path holds a quote, "$" or "\\"') };
  try {
    if (!statSync(absolute).isFile()) return { problem: problems.badPage(absolute, 'it is not a file') };
    accessSync(absolute, constants.R_OK);
  } catch (error) {
    return { problem: problems.badPage(absolute, (error as NodeJS.ErrnoException).code ?? String(error)) };
  }
  if (reader && process.getuid?.() === 0 && !readableBy(reader, absolute))
    return {
      problem: problems.badPage(
        absolute,
        `nginx's workers run as ${reader}, who cannot read it (a directory on the way, or the file, stops them)`,
      ),
    };
  return { value: absolute };
}

/** The overlay with `domain` in maintenance (showing `page`), or out of it (page undefined). */
export function withMaintenance(overlay: Overlay, domain: string, page: string | undefined): Overlay {
  const others = (overlay.maintenance ?? []).filter((entry) => entry.domain !== domain);
  const maintenance = page === undefined ? others : [...others, { domain, page }];
  const next: Overlay = { ...overlay, maintenance };
  if (!maintenance.length) delete next.maintenance;
  return next;
}

/** Whether a hand-edited overlay's maintenance list is sound (it ends up in nginx.conf). */
export function soundMaintenance(value: unknown): boolean {
  if (value === undefined) return true;
  return (
    Array.isArray(value) &&
    value.every(
      (entry: Maintenance) =>
        typeof entry?.domain === 'string' &&
        /^[a-z0-9*][a-z0-9.-]*$/.test(entry.domain) &&
        typeof entry.page === 'string' &&
        path.isAbsolute(entry.page) &&
        !/[$"\\\n\r\0]/.test(entry.page),
    )
  );
}

/** The http-level map: a server's name -> its maintenance page ("" when it is not in maintenance). */
export function maintenanceMap(entries: Maintenance[], served: Set<string>): string[] {
  return [
    'map $server_name $porter_maintenance {',
    '    default "";',
    ...entries.filter((e) => served.has(e.domain)).map((e) => `    "${e.domain}" ${nginxString(e.page)};`),
    '}',
  ];
}

/**
 * The lines every served server carries (indented for a server block). The rewrite runs before
 * any location is chosen, so a site in maintenance answers nothing else. The 503 goes to the page
 * by error_page to a URI (which makes any method a GET, so a POST gets the page too); that
 * redirect passes the server's rewrites again, hence the test of $uri, one condition per `if`.
 */
export function maintenanceLines(indent = '    '): string[] {
  return [
    'set $porter_paused $porter_maintenance;  # bin/porter maintenance DOMAIN on',
    'if ($uri = /.porter/maintenance.html) { set $porter_paused ""; }',
    'if ($porter_paused) { rewrite ^ /.porter/maintenance last; }',
    'location = /.porter/maintenance {',
    '    error_page 503 /.porter/maintenance.html;',
    '    return 503;',
    '}',
    'location = /.porter/maintenance.html {',
    '    internal;',
    '    root /;',
    '    try_files $porter_maintenance =503;',
    '    ssi on;',
    '    add_header Cache-Control "no-store" always;',
    '    add_header Retry-After 60 always;',
    '}',
  ].map((line) => `${indent}${line}`);
}
