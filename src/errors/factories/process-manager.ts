/**
 * Errors of bin/supervisord and bin/supervisorctl: their configuration, the names they are given,
 * whether supervisord runs, ports, pm2's daemon, and programs that do not come up or go down.
 */
import { ZetaError } from '../zeta-error';

/** A process holding a port, as the error names it. */
export interface PortHolder {
  pid: number;
  command: string;
}

function holdersText(holders: PortHolder[]): string {
  return holders.map((h) => `pid ${h.pid} (${h.command})`).join(', ');
}

const REASSEMBLE = 'run bin/assemble again with this Zetaserver: it rewrites the file.';

export const processManagerErrors = {
  // --- the configuration the supervisor part writes ------------------------------------------
  configUnreadable(file: string, why: string): ZetaError {
    return new ZetaError('SUPERVISOR_CONFIG', `cannot read the process manager's configuration ${file}: ${why}`, {
      hint: 'run bin/assemble first: the supervisor part writes it.',
    });
  },
  configNotJson(file: string, why: string): ZetaError {
    const message = `${file} is not the JSON the supervisor part writes: ${why}`;
    return new ZetaError('SUPERVISOR_CONFIG', message, { hint: REASSEMBLE });
  },
  configFormat(file: string, found: string, expected: number): ZetaError {
    const message = `${file} is in format ${found}; this process manager reads format ${expected}`;
    return new ZetaError('SUPERVISOR_CONFIG', message, {
      hint: REASSEMBLE,
    });
  },
  /** The pm2 ecosystem supervisor.json names is missing, unreadable, or not a list of apps. */
  ecosystemUnreadable(ecosystem: string, config: string, why: string): ZetaError {
    const message = `cannot read the pm2 ecosystem ${ecosystem}, which ${config} names: ${why}`;
    return new ZetaError('SUPERVISOR_CONFIG', message, {
      hint: 'run bin/assemble again: the supervisor part writes both files together.',
    });
  },
  /** The ecosystem lacks programs supervisor.json has: written by another assembly. */
  ecosystemStale(ecosystem: string, config: string, missing: string[]): ZetaError {
    const which = missing.length === 1 ? `program ${missing[0]} is` : `programs ${missing.join(', ')} are`;
    const message = `${which} missing from the pm2 ecosystem ${ecosystem}, which ${config} names`;
    return new ZetaError('SUPERVISOR_CONFIG', message, {
      hint: 'the two files come from different assemblies: run bin/assemble again, which rewrites both together.',
    });
  },

  // --- names and states ----------------------------------------------------------------------
  /** `hint`: the suggestion and the names and groups there are (select-programs.ts). */
  unknownProgram(what: 'program' | 'group', name: string, hint: string): ZetaError {
    return new ZetaError('UNKNOWN_PROGRAM', `there is no ${what} named "${name}" in this deployment`, { hint });
  },
  notRunning(directory: string): ZetaError {
    const message = `supervisord is not running for ${directory}`;
    return new ZetaError('NOT_RUNNING', message, { hint: 'start it with bin/supervisord.' });
  },
  /** `orphans`: what a dead daemon left running, described (orphans.ts). */
  notRunningWithOrphans(directory: string, orphans: string): ZetaError {
    const message = `supervisord is not running for ${directory}, but its pm2 daemon died and left ${orphans} running`;
    return new ZetaError('NOT_RUNNING', message, {
      hint:
        'bin/supervisord stops them and starts everything again under a new daemon; ' +
        'bin/supervisorctl shutdown (or stop NAME) stops them.',
    });
  },
  alreadyRunning(directory: string, pid: number): ZetaError {
    return new ZetaError('ALREADY_RUNNING', `supervisord is already running for ${directory} (pm2 daemon pid ${pid})`, {
      hint: 'use bin/supervisorctl status, or bin/supervisorctl shutdown first.',
    });
  },
  panelPortTaken(part: string, host: string, port: number, holders: PortHolder[]): ZetaError {
    const message = `the control panel cannot listen on ${host}:${port}: taken by ${holdersText(holders)}`;
    return new ZetaError('PORT_TAKEN', message, {
      section: part,
      option: 'port',
      hint: 'stop that process or give the supervisor part another port.',
    });
  },
  programPortTaken(
    program: string,
    part: string | undefined,
    address: { host: string; port: number },
    holders: PortHolder[],
  ): ZetaError {
    const { host, port } = address;
    const message =
      `program "${program}" cannot listen on ${host}:${port}: ` +
      `port ${port} is already taken by ${holdersText(holders)}`;
    return new ZetaError('PORT_TAKEN', message, {
      section: part,
      hint: `stop that process (kill ${holders[0].pid}) or give "${program}" another port in the configuration.`,
    });
  },
  commandMissing(program: string, part: string | undefined, command: string): ZetaError {
    const message = `program "${program}": its command ${command} does not exist or is not executable`;
    return new ZetaError('COMMAND_NOT_FOUND', message, {
      section: part,
      hint:
        'install it, build it (a cmmi part), or fix the command in ' + 'the configuration and run bin/assemble again.',
    });
  },

  // --- pm2's daemon --------------------------------------------------------------------------
  /** pm2's home, or the state directory that links to it, cannot be made. */
  pm2HomeUnusable(directory: string, why: string): ZetaError {
    return new ZetaError('PM2_DAEMON_FAILED', `cannot make ${directory} for pm2's daemon: ${why}`, {
      hint:
        'supervisor.json names it; check that its parent directory exists and can be written. ' +
        'Nothing was started.',
    });
  },
  /** `how`: "exited with code 1 while starting", "did not start within 30 s", "cannot be spawned: ...". */
  pm2DaemonDown(home: string, how: string): ZetaError {
    return new ZetaError('PM2_DAEMON_FAILED', `pm2's daemon ${how} (see ${home}/pm2.log)`, {
      hint: 'pm2.log says why; nothing of the deployment was started.',
    });
  },
  /** plan or apply: the daemon is gone, the programs it started (`running`: "web (pid 12)") are not. */
  pm2Gone(home: string, running: string[]): ZetaError {
    return new ZetaError(
      'PM2_DAEMON_FAILED',
      `pm2's daemon of this tree is gone (${home}/pm2.pid names a dead process) while programs it started ` +
        `still run: ${running.join(', ')}; nothing can reach them to apply a change, so nothing was changed`,
      {
        hint:
          'bin/supervisord takes them over (it stops them by pid and starts everything under a new daemon); ' +
          'then run bin/assemble apply again.',
      },
    );
  },
  pm2Unreachable(home: string, why: string): ZetaError {
    return new ZetaError('PM2_DAEMON_FAILED', `pm2's daemon does not answer on its sockets in ${home}: ${why}`, {
      hint:
        `see ${home}/pm2.log; a daemon that does not answer can be killed by the pid in ${home}/pm2.pid, ` +
        'and bin/supervisord then starts everything afresh.',
    });
  },

  // --- programs that do not come up, or do not go ---------------------------------------------
  startFailed(message: string, hint?: string): ZetaError {
    return new ZetaError('START_FAILED', message, { hint });
  },
  /** A rolling restart's instance that its load balancer did not mark UP again in time. */
  balancerNotUp(server: string, balancer: string, seconds: number): ZetaError {
    return new ZetaError(
      'NOT_READY',
      `${server} was not UP in ${balancer} within ${seconds} s of its restart: ` + `update stopped there`,
      {
        hint:
          `see ${balancer}'s health checks (its stats page) and the instance's log; the instances after it ` +
          `were not restarted.`,
      },
    );
  },
  /** `logs`: the last lines of the program's logs, as detail lines. */
  notReady(program: string, part: string | undefined, why: string, logs: string[]): ZetaError {
    return new ZetaError('NOT_READY', `program "${program}" ${why}`, {
      section: part,
      details: logs,
      hint: 'its log lines above usually say why; fix the ' + 'configuration and run bin/assemble again.',
    });
  },
  leftRunning(left: string[]): ZetaError {
    return new ZetaError('LEFT_RUNNING', `after shutdown these are still there: ${left.join('; ')}`, {
      hint: "kill them by pid; see the programs' logs for why they did not stop.",
    });
  },
};
