/**
 * Errors of the checks of declared programs before anything is touched, and of install itself:
 * templates, the commands recipes run, removing what a part recorded, an interrupted run.
 */
import { ZetaError, type SourceLocation } from '../zeta-error';

/** A program and its part, with an address as a message shows it ([::1]:80, 127.0.0.1:80). */
export interface ProgramAddress {
  program: string;
  /** The part that declares it (a program spec may lack one). */
  part?: string;
  address: string;
}

export const installErrors = {
  // --- declared programs ---------------------------------------------------------------------
  programClash(name: string, first: string | undefined, second: string | undefined): ZetaError {
    return new ZetaError('PROGRAM_CLASH', `two parts declare a program named "${name}": [${first}] and [${second}]`, {
      section: second,
      hint: 'program names must be unique; rename one of the parts.',
    });
  },
  portOutOfRange(program: string, part: string | undefined, port: number): ZetaError {
    const message = `program "${program}" uses port ${port}, which is not between 1 and 65535`;
    return new ZetaError('PORT_OUT_OF_RANGE', message, {
      section: part,
    });
  },
  addressClash(first: string, second: ProgramAddress): ZetaError {
    const message = `programs "${first}" and "${second.program}" would both listen on ${second.address}`;
    return new ZetaError('ADDRESS_CLASH', message, {
      section: second.part,
      hint: 'give one of them another port in [ports] (or another address in [hosts]).',
    });
  },
  /** `near`: listeners on the same port or host, shown as "ADDRESS (PROGRAM)". */
  upstreamMismatch(upstream: ProgramAddress, near: string[]): ZetaError {
    const message =
      `program "${upstream.program}" forwards to ${upstream.address}, ` +
      'but no program of this deployment listens there';
    return new ZetaError('UPSTREAM_MISMATCH', message, {
      section: upstream.part,
      hint: near.length
        ? `did you mean ${near.join(' or ')}?`
        : "point it at the next hop's listen address, or add the part that listens there.",
    });
  },

  // --- templates -----------------------------------------------------------------------------
  templatePartial(name: string, location?: SourceLocation): ZetaError {
    return new ZetaError('TEMPLATE_ERROR', `partials ({{> ${name}}}) are not supported`, { location });
  },
  templateUnparsable(file: string | undefined, why: string): ZetaError {
    return new ZetaError('TEMPLATE_ERROR', `template${file ? ` ${file}` : ''} cannot be parsed: ${why}`);
  },
  /** `defined`: the names the view has, for the hint. */
  templateMissingVariable(name: string, inline: boolean, defined: string[], location?: SourceLocation): ZetaError {
    const message = `template variable "${name}" is not defined${inline ? ' (inline template)' : ''}`;
    return new ZetaError('TEMPLATE_MISSING_VARIABLE', message, {
      location,
      hint:
        "give it a value in the view the recipe builds, or in the part's options; " +
        `defined here: ${defined.join(', ')}`,
    });
  },

  // --- commands ------------------------------------------------------------------------------
  emptyCommand(): ZetaError {
    return new ZetaError('EXEC_FAILED', 'an empty command was run');
  },
  /** The command could not be started: `missing` when it does not exist. */
  cannotRun(command: string, why: string, missing: boolean, details: string[]): ZetaError {
    if (missing) {
      return new ZetaError('COMMAND_NOT_FOUND', `command not found: ${command}`, {
        details,
        hint: 'install it (see README "Requirements"), or give its absolute path.',
      });
    }
    return new ZetaError('EXEC_FAILED', `cannot run ${command}: ${why}`, { details });
  },
  /** `how`: "exited with status 2", "was killed by SIGKILL", "was stopped after 60 s". */
  commandFailed(step: string | undefined, command: string, how: string, details: string[]): ZetaError {
    return new ZetaError('EXEC_FAILED', `${step ? `${step}: ` : ''}${command} ${how}`, { details });
  },

  // --- the run -------------------------------------------------------------------------------
  unsafeRemove(part: string, path: string): ZetaError {
    const message = `part [${part}] recorded ${path}, which holds the whole tree; refusing to remove it`;
    return new ZetaError('UNSAFE_REMOVE', message, {
      section: part,
      hint: 'the recipe registered a path it should not own; ' + 'remove the part from .installed.json by hand.',
    });
  },
  interrupted(): ZetaError {
    return new ZetaError('INTERRUPTED', 'the run was interrupted');
  },
};
