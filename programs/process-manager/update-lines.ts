/**
 * The lines `update` prints: a planned change (`restart varnish: its command line changed: -s
 * malloc,128M -> -s malloc,256M (varnish restart empties its malloc cache)`) and a change done.
 */
import type { RuntimeChange } from '../../src/recipe';
import type { DoneChange } from './apply-plan';

/** One change as a line: `restart varnish: its command line changed: ... (varnish restart empties ...)`. */
export function describeChange(change: RuntimeChange): string {
  const details = [change.how, ...(change.why ?? [])].filter(Boolean).join('; ');
  return `${change.action} ${change.program}${details ? `: ${details}` : ''}${change.cost ? ` (${change.cost})` : ''}`;
}

export function describeDone(done: DoneChange): string {
  const verb = {
    start: 'started',
    stop: 'stopped',
    reload: 'reloaded',
    restart: 'restarted',
    'rolling-restart': 'rolling-restarted',
    untouched: 'untouched',
  }[done.action];
  return `${verb} ${done.program} in ${(done.ms / 1000).toFixed(2)} s${done.detail ? ` (${done.detail})` : ''}`;
}
