/**
 * Errors of nodesets: what is wrong with [nodeset] and the [role.NAME] sections, located at the
 * option that says it (file, line, section, option), and the node names commands are given.
 */
import { ZetaError, type SourceLocation } from '../zeta-error';
import { displayPath } from '../../util/paths';
import { quoted } from './text';

/** Where a problem was written (the option's location when the value came from a file): a ZetaError's details. */
export interface NodesetPlace {
  location?: SourceLocation;
  section: string;
  option?: string;
}

function didYouMean(suggestion: string | undefined): string {
  return suggestion ? ` (did you mean ${quoted(suggestion)}?)` : '';
}

export const nodesetErrors = {
  missingNodeset(file: string, what: '[nodeset]' | 'role'): ZetaError {
    const message =
      what === '[nodeset]'
        ? `${displayPath(file)} has no [nodeset] section: it is not a nodeset file`
        : `${displayPath(file)} has a [nodeset] section but no [role.NAME] section: a nodeset needs at least one role`;
    return new ZetaError('NODESET_MISSING', message);
  },
  badValue(at: NodesetPlace, value: string, expected: string): ZetaError {
    return new ZetaError('NODESET_BAD_VALUE', `[${at.section}] ${at.option} = ${quoted(value)}: ${expected}`, at);
  },
  unknownKind(at: NodesetPlace, role: string): ZetaError {
    return new ZetaError('NODESET_BAD_VALUE', `the name of role ${role} does not say its kind`, {
      ...at,
      hint: 'a role named appserver*, balancer* or service* has that kind; name it so, or add kind = appserver, balancer or service.',
    });
  },
  badAddress(at: NodesetPlace, address: string): ZetaError {
    return new ZetaError(
      'NODESET_BAD_ADDRESS',
      `[${at.section}] addresses: ${quoted(address)} is not an IPv4 or IPv6 address`,
      at,
    );
  },
  duplicateAddress(at: NodesetPlace, address: string, first: string, second: string): ZetaError {
    return new ZetaError(
      'NODESET_DUPLICATE_ADDRESS',
      `address ${address} is given to two nodes: ${first} and ${second}`,
      at,
    );
  },
  duplicateNode(at: NodesetPlace, name: string, roles: string[]): ZetaError {
    const where = roles[0] === roles[1] ? `role ${roles[0]} names` : `roles ${roles[0]} and ${roles[1]} name`;
    return new ZetaError('NODESET_DUPLICATE_NODE', `${where} two nodes ${name}`, at);
  },
  nodeCount(at: NodesetPlace, role: string, nodes: number, addresses: number): ZetaError {
    return new ZetaError(
      'NODESET_NODE_COUNT',
      `role ${role} says nodes = ${nodes} but its addresses line names ${addresses} node${addresses === 1 ? '' : 's'}`,
      at,
    );
  },
  emptyRole(at: NodesetPlace, role: string, missing: 'addresses' | 'parts'): ZetaError {
    const message =
      missing === 'addresses' ? `role ${role} has no nodes: its addresses are empty` : `role ${role} names no parts`;
    return new ZetaError('NODESET_EMPTY_ROLE', message, at);
  },
  twoBalancers(at: NodesetPlace, nodes: string[]): ZetaError {
    return new ZetaError(
      'NODESET_TWO_BALANCERS',
      `the nodeset has ${nodes.length} balancer nodes (${nodes.join(', ')}); it takes one`,
      at,
    );
  },
  unknownPart(at: NodesetPlace, role: string, part: string, suggestion: string | undefined): ZetaError {
    const message = `role ${role} names part ${quoted(part)}, which is not in [buildout] parts${didYouMean(suggestion)}`;
    return new ZetaError('NODESET_UNKNOWN_PART', message, at);
  },
  partInTwoRoles(at: NodesetPlace, part: string, roles: [string, string]): ZetaError {
    return new ZetaError(
      'NODESET_PART_IN_TWO_ROLES',
      `part ${quoted(part)} is named by roles ${roles[0]} and ${roles[1]}`,
      at,
    );
  },
  unassignedPart(at: NodesetPlace, part: string, programs: string[]): ZetaError {
    const runs = programs.length === 1 ? `program ${programs[0]}` : `programs ${programs.join(', ')}`;
    return new ZetaError('NODESET_UNASSIGNED_PART', `part ${quoted(part)} runs ${runs} but no role names it`, at);
  },
  unknownNode(name: string, known: string[], suggestion: string | undefined): ZetaError {
    return new ZetaError('NODESET_UNKNOWN_NODE', `the nodeset has no node ${quoted(name)}${didYouMean(suggestion)}`, {
      hint: `its nodes are ${known.join(', ')}.`,
    });
  },
  foreignBind(node: string, address: string, part: string, program: string, listen: string): ZetaError {
    return new ZetaError(
      'NODESET_FOREIGN_BIND',
      `on node ${node} (${address}) program ${program} of part [${part}] would listen on ${listen}, which is not the node's address`,
      { section: part },
    );
  },
  /** After the summary of a deploy or rollback that did not finish: which nodes stopped it, where. */
  rolloutStopped(
    what: string,
    stopped: Array<{ node: string; state: string; step?: string }>,
    back: string[],
  ): ZetaError {
    const unreachable = stopped.filter((n) => n.state === 'unreachable');
    const failed = stopped.filter((n) => n.state !== 'unreachable');
    const names = (nodes: Array<{ node: string; step?: string }>, at: boolean): string =>
      nodes.map((n) => (at && n.step ? `${n.node} (at ${n.step})` : n.node)).join(', ');
    const parts = [
      ...(failed.length ? [`failed on ${names(failed, true)}`] : []),
      ...(unreachable.length ? [`${names(unreachable, false)} did not answer over ssh`] : []),
    ];
    const message = `${what} did not finish: ${parts.join('; ')}${back.length ? `; rolled back: ${back.join(', ')}` : ''}`;
    // a failed step is the deploy's to explain; only nodes that did not answer are the network's
    if (unreachable.length && !failed.length) return new ZetaError('NODESET_UNREACHABLE', message);
    return new ZetaError('NODESET_DEPLOY_FAILED', message);
  },
  agentTls(dir: string, why: string): ZetaError {
    return new ZetaError(
      'NODESET_AGENT_TLS',
      `the agents' certificate in ${displayPath(dir)} could not be made: ${why}`,
    );
  },
  varTaken(link: string, shared: string): ZetaError {
    return new ZetaError(
      'NODESET_VAR_TAKEN',
      `${displayPath(link)} exists and is not a link to ${displayPath(shared)}`,
    );
  },
};
