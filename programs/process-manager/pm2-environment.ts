/**
 * The environment pm2 sees. pm2 copies its client's whole environment into every app it starts
 * (`pm2 jlist` shows it, stored in the daemon) and its daemon inherits whatever spawned it, so
 * the shell of whoever ran bin/supervisord (tokens, passwords, SSH agent sockets) would end up
 * in a long-lived process and in every app's entry. So:
 * - pm2's daemon gets exactly `daemonEnvironment()`: a fixed PATH, LANG, HOME (the pm2 home)
 *   and pm2's own settings;
 * - our own processes that talk to pm2 (bin/supervisord, bin/supervisorctl, the agent) drop
 *   everything else from their environment before pm2 is loaded, keeping only TERM and
 *   NO_COLOR, which decide how their own messages are printed.
 * The programs never saw any of it: their wrappers run `env -i` with their configured keys.
 */

/** The PATH of pm2's daemon and of the process manager's own processes. */
export const DAEMON_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

/** pm2 reads these when it is required, and its daemon when it starts. */
export function pm2Settings(home: string): Record<string, string> {
  return {
    PM2_HOME: home,
    PM2_KILL_SIGNAL: 'SIGTERM',
    PM2_NO_INTERACTION: 'true',
    PM2_DISCRETE_MODE: 'true',
    PM2_PROGRAMMATIC: 'true',
  };
}

/** The whole environment of pm2's daemon. */
export function daemonEnvironment(home: string): Record<string, string> {
  return { PATH: DAEMON_PATH, LANG: 'C.UTF-8', HOME: home, SILENT: 'true', ...pm2Settings(home) };
}

const KEPT = ['TERM', 'NO_COLOR'];

/** Reduces this process's environment to the daemon's plus TERM and NO_COLOR (in place: pm2 reads process.env). */
export function confineEnvironment(home: string): void {
  const kept = Object.fromEntries(KEPT.filter((k) => process.env[k] !== undefined).map((k) => [k, process.env[k]!]));
  for (const key of Object.keys(process.env)) delete process.env[key];
  const { SILENT: _silent, ...own } = daemonEnvironment(home);
  Object.assign(process.env, own, kept);
}

let loadedHome: string | undefined;

/** Before pm2 is loaded or its daemon spawned: pm2's settings in, everything else out. */
export function usePm2Home(home: string): void {
  if (loadedHome && loadedHome !== home)
    throw new Error(`pm2 was already loaded for ${loadedHome}; one process serves one deployment`);
  confineEnvironment(home);
  loadedHome = home;
}
