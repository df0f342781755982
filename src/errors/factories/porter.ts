/**
 * Errors of bin/porter itself: its settings, its routing table and the table's lock, and what
 * nginx says to a change. A route's own problems are data (porter-problems.ts).
 */
import { ZetaError } from '../zeta-error';

export const porterErrors = {
  notInstalled(settingsFile: string, why: string): ZetaError {
    return new ZetaError('PORTER_NOT_INSTALLED', `cannot read ${settingsFile}: ${why}`, {
      hint: 'run bin/assemble to install the porter part again.',
    });
  },
  /** The overlay exists but is not a table bin/porter wrote (hand-edited, truncated). */
  tableCorrupt(file: string, why: string): ZetaError {
    return new ZetaError('PORTER_TABLE_CORRUPT', `the routing table ${file} cannot be read: ${why}`, {
      hint:
        'it is JSON written by bin/porter; repair it, or move it aside ' +
        '(its routes are then forgotten) and add them again.',
    });
  },
  locked(file: string, seconds: number): ZetaError {
    return new ZetaError('PORTER_LOCKED', `another bin/porter has held ${file} for ${seconds} s`, {
      hint: 'another change is still being applied (or hangs); try again, or look for a stuck bin/porter.',
    });
  },
  lockFailed(file: string, why: string): ZetaError {
    return new ZetaError('PORTER_LOCK_FAILED', `cannot lock ${file}: ${why}`, {
      hint:
        'nothing was changed. Check that its directory can be created and written, ' +
        'and that flock is installed (Debian package util-linux); then run the command again.',
    });
  },
  nginxRefused(output: string): ZetaError {
    const message = `nginx refuses the configuration with this change, so nothing was changed:\n${output}`;
    return new ZetaError('PORTER_NGINX_REFUSED', message, {
      hint:
        'the table itself is fine; the message names what nginx cannot ' +
        'use (often a host name that stopped resolving).',
    });
  },
  reloadUnconfirmed(pid: number, seconds: number, errorLog: string): ZetaError {
    const message =
      `nginx (pid ${pid}) was asked to reload, but after ${seconds} s ` +
      `it still does not serve the new configuration; see ${errorLog}`;
    return new ZetaError('PORTER_RELOAD_UNCONFIRMED', message, {
      hint: 'the table and nginx.conf are changed; bin/porter apply tries the reload again.',
    });
  },
};
