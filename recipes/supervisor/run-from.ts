/**
 * `run-from`: the path the programs run the tree through, a link to it (a nodeset node's
 * `<deploy-root>/current`). Every path under the tree's directory in a program (command, wrapper,
 * configuration files, logs, working directory) is written through the link, so the next release,
 * once the link points at it, has the same programs wherever nothing but the release changed:
 * `update` leaves them running, and reloads those whose configuration files changed (haproxy,
 * nginx, varnish: gracefully) instead of restarting every program of every release.
 */
import { throughLinkText } from '../../programs/process-manager/public';

/** `value` with each path under `directory` seen through `link` (strings, arrays and objects, deeply). */
export function throughLink<T>(value: T, directory: string, link: string): T {
  const map = (v: unknown): unknown => {
    if (typeof v === 'string') return throughLinkText(v, directory, link);
    if (Array.isArray(v)) return v.map(map);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, map(x)]));
    return v;
  };
  return map(value) as T;
}
