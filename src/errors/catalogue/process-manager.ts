/**
 * Codes of bin/supervisord and bin/supervisorctl. Statuses 1 and 2 are the ones
 * docs/process-manager.md has always given: 2 bad input, 1 a program that failed.
 */
import { EXIT, type CodeEntry } from './status';

const { refused, failed, environment } = EXIT;

export const processManagerCodes = {
  SUPERVISOR_CONFIG: {
    status: refused,
    meaning:
      'the files the supervisor part writes (supervisor.json and the pm2 ecosystem it names) ' +
      'are missing, unreadable, of another format or out of step with each other',
    hint: 'run bin/assemble again: the supervisor part rewrites them.',
  },
  UNKNOWN_PROGRAM: {
    status: refused,
    meaning: 'a name given to bin/supervisorctl is not a program or group of this deployment',
    hint: 'bin/supervisorctl status lists the programs; groups are type:TYPE and part:PART.',
  },
  NOT_RUNNING: {
    status: refused,
    meaning: 'the command needs supervisord running, and it is not',
    hint: 'start it with bin/supervisord.',
  },
  ALREADY_RUNNING: {
    status: refused,
    meaning: 'bin/supervisord is run while supervisord already runs for the tree',
    hint: 'use bin/supervisorctl status, or bin/supervisorctl shutdown first.',
  },
  PORT_TAKEN: {
    status: refused,
    meaning: 'a port the control panel or a program listens on is taken by another process (the error names it)',
    hint: 'stop that process, or give the program another port in the configuration.',
  },
  PM2_DAEMON_FAILED: {
    status: environment,
    meaning:
      "pm2's daemon of the deployment could not be started or reached: " +
      'its home cannot be made, it exits or it does not answer, or (plan, apply) it is gone while ' +
      'programs it started still run; plan and apply change nothing then',
    hint: "see pm2.log in the pm2 home the error names; check that the home's directory can be created and written.",
  },
  START_FAILED: {
    status: failed,
    meaning:
      'starting or reloading a program (or the agent with the control ' +
      'panel) failed; what was started is stopped again',
    hint: "the program's and the agent's logs (var/log, or the supervisor part's childlogdir) say why.",
  },
  NOT_READY: {
    status: failed,
    meaning: 'a program exited, or did not pass its readiness check in time; the start is undone',
    hint: 'its last log lines (in the error) usually say why; fix the configuration and run bin/assemble again.',
  },
  LEFT_RUNNING: {
    status: failed,
    meaning: 'after shutdown, a process or a port of the deployment is still there (the error names it)',
    hint: 'kill it by pid; its log says why it did not stop.',
  },
} satisfies Record<string, CodeEntry>;
