/**
 * The exit statuses of bin/assemble, bin/supervisord, bin/supervisorctl and bin/porter, one
 * meaning each everywhere. A code's status is in the catalogue; docs/errors.md lists them.
 */
export const EXIT = { warning: 0, failed: 1, refused: 2, environment: 3, interrupted: 130 } as const;

export type ExitStatus = (typeof EXIT)[keyof typeof EXIT];

/** What each status means, for docs/errors.md (and for whoever picks a new code's status). */
export const STATUS_MEANINGS: Record<ExitStatus, string> = {
  0: 'done; a warning is printed and the run goes on',
  1:
    'a program the tool runs or watches failed (not ready, still running after ' +
    'shutdown, a dead backend, a reload nginx did not confirm); a bug in Zetaserver ' +
    '("internal error") exits 1 too: neither is a problem with your input',
  2:
    'refused: the configuration, the command line or a file the tool reads is wrong, ' +
    'or a build or download the configuration asks for failed; nothing is left ' +
    'half-done (a failed part is rolled back, bin/porter changes nothing)',
  3:
    'the environment failed the tool: a daemon that would not start, a lock that is held or cannot ' +
    'be taken, a directory that cannot be made; the input is fine, so fix the machine (or wait) and run again',
  130:
    'interrupted (^C, SIGTERM), as the shell reports a command SIGINT ended; ' +
    'the part being installed is rolled back',
};

/** The status of anything that is not a ZetaError: a bug, printed as an internal error. */
export const BUG_STATUS = EXIT.failed;

export interface CodeEntry {
  /** The exit status of a run this error stops. */
  status: ExitStatus;
  /** What the code means, for docs/errors.md: one sentence, no trailing period. */
  meaning: string;
  /** The hint printed when the error itself gives none. */
  hint: string;
}
