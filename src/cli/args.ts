/**
 * parseArguments: `assemble [-c FILE] [-v|-q] [--debug] [-o|-O|-n|-N] [-t SECONDS]
 * [section:option=value ...] [command [args...]]`, the flags buildout users know. Options and
 * assignments may be mixed before the command; everything after the command belongs to it, so an
 * assignment there is an error that prints the command line with it moved before the command
 * (zc.buildout would read it as a part name).
 */
import type { ZetaError } from '../errors/zeta-error';
import { isAssignment } from '../config/overrides';
import { cliErrors, quoted } from '../errors/codes';
import { MAX_TIMEOUT, validTimeout } from '../download/timeout';

export interface Arguments {
  configFile?: string;
  verbosity: number;
  debug: boolean;
  assignments: string[];
  command: string;
  commandArgs: string[];
  help: boolean;
  version: boolean;
}

export const COMMANDS = ['install', 'apply', 'annotate', 'plan', 'query', 'nodeset'] as const;

/** A day: a larger timeout would overflow node's timers (they fire at once past 2^31 ms). */
function usage(message: string): ZetaError {
  return cliErrors.badUsage(message, 'run "bin/assemble --help" for the usage.');
}

export function parseArguments(argv: string[]): Arguments {
  const args: Arguments = {
    verbosity: 0,
    debug: false,
    assignments: [],
    command: 'install',
    commandArgs: [],
    help: false,
    version: false,
  };
  const rest = argv.slice();
  let command = 0; // where the command is in argv (argv.length when it is left out)
  while (rest.length) {
    const arg = rest[0];
    if (arg === '--debug') {
      args.debug = true;
      rest.shift();
      continue;
    }
    if (arg === '--help' || arg === '-h') {
      args.help = true;
      rest.shift();
      continue;
    }
    if (arg === '--version') {
      args.version = true;
      rest.shift();
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1 && !arg.startsWith('--')) {
      rest.shift();
      let flags = arg.slice(1);
      while (flags) {
        const flag = flags[0];
        flags = flags.slice(1);
        switch (flag) {
          case 'v':
            args.verbosity++;
            break;
          case 'q':
            args.verbosity--;
            break;
          case 'o':
            args.assignments.push('buildout:offline=true');
            break;
          case 'O':
            args.assignments.push('buildout:offline=false');
            break;
          case 'n':
            args.assignments.push('buildout:newest=true');
            break;
          case 'N':
            args.assignments.push('buildout:newest=false');
            break;
          case 'U':
            break; // user defaults are never read; accepted for buildout users
          case 'D':
            args.debug = true;
            break;
          case 'c': {
            const file = flags || rest.shift();
            if (!file) throw usage('-c needs a file name');
            args.configFile = file;
            flags = '';
            break;
          }
          case 't': {
            const seconds = flags || rest.shift();
            if (!seconds || !/^\d+$/.test(seconds) || !validTimeout(seconds))
              throw usage(`-t needs a timeout in whole seconds, from 1 to ${MAX_TIMEOUT}`);
            args.assignments.push(`buildout:socket-timeout=${seconds}`);
            flags = '';
            break;
          }
          default:
            throw usage(`unknown option ${quoted(`-${flag}`)}`);
        }
      }
      continue;
    }
    if (arg.startsWith('--')) throw usage(`unknown option ${quoted(arg)}`);
    if (isAssignment(arg)) {
      args.assignments.push(rest.shift()!);
      continue;
    }
    break;
  }
  command = argv.length - rest.length;
  if (rest.length) {
    const name = rest.shift()!;
    if (!(COMMANDS as readonly string[]).includes(name)) {
      throw cliErrors.badUsage(`unknown command ${quoted(name)}`, `commands are: ${COMMANDS.join(', ')}.`);
    }
    args.command = name;
    args.commandArgs = rest;
  }
  const misplaced = args.commandArgs.filter(isAssignment);
  if (misplaced.length) {
    const after = argv.slice(command + 1).filter((a) => !isAssignment(a));
    throw cliErrors.misplacedAssignment(misplaced, args.command, [
      ...argv.slice(0, command),
      ...misplaced,
      args.command,
      ...after,
    ]);
  }
  return args;
}

export const HELP = `usage: bin/assemble [options] [section:option=value ...] [command [args]]

Assembles the deployment a buildout-style configuration describes.

options:
  -c FILE     configuration file (default: buildout.cfg, then deployment.cfg)
  -v, -q      more or less output (repeatable)
  -o, -O      offline (cache only) / online
  -n, -N      newest / not newest (remote extends: try the network first or not)
  -t SECONDS  network timeout (1 to 86400)
  --debug     show stack traces of internal errors
  --help      this text

assignments (before the command):
  section:option=value    set an option (section defaults to buildout)
  section:option+=value   append lines; -= removes lines

commands:
  install [PART...]     install the parts (default), or only PART and what it needs
  plan [PART...]        show what install and apply would do (parts, file diffs, programs), doing nothing;
                        --json: as data; --exit-code: exit 0 when nothing is to do, 3 when changes are pending
  apply [PART...]       install, then apply the change to the running programs (reload, restart) in order
  annotate [SECTION...] every resolved value with where it came from (--json: machine form)
  query SECTION:OPTION  print one resolved value
  nodeset SUB           many hosts from one nodeset file (docs/nodeset.md):
                        list [--json]          the nodes, their roles, addresses and parts
                        ssh-config             an ssh_config block per node
                        assemble NODE [--target DIR] [--shared DIR] [--plan [--json]]
                                               build one node's tree (default .nodeset/NAME/build/NODE)
                        annotate NODE [--json] [SECTION...]
                                               the configuration as NODE's tree sees it
                        plan [--json]          per node: the release it runs, the one a deploy gives it
                        deploy [--json]        the rolling deploy on Ansible (services, canary, batches,
                                               balancer); exit 1 a step failed, 3 a node unreachable
                        rollback [--json]      every app node back to its previous release, gated
                        status [--json]        every node's release and programs, haproxy's view
                        logs [PROGRAM...] [--since 1h] [--grep RE] [--node N,...] [--json]
                                               every node's program logs, merged by time
                        (plan, deploy, rollback, status, logs: --known-hosts FILE, --deploy-root-of NODE=PATH,...)
`;
