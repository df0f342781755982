/**
 * The checks across roles: nodes (addresses and names unique, one balancer) and parts (each
 * role part exists, no part in two roles, every part that runs a program in some role).
 * Problems are collected; the parts no role names that run nothing are every node's.
 */
import { nearest } from '../util/suggest';
import { nodesetErrors, type NodesetPlace } from '../errors/codes';
import type { ZetaError } from '../errors/zeta-error';
import type { NodesetNode, NodesetRole } from './model';

/** Where an option of a role (or the word `needle` in it) was written. */
export type PlaceOf = (role: string, option: string, needle?: string) => NodesetPlace;

export function checkNodes(roles: NodesetRole[], placeOf: PlaceOf, problems: ZetaError[]): void {
  const byAddress = new Map<string, NodesetNode>();
  const byName = new Map<string, NodesetNode>();
  for (const role of roles) {
    for (const node of role.nodes) {
      const sameAddress = byAddress.get(node.address);
      if (sameAddress) {
        const at = placeOf(role.name, 'addresses', node.address);
        problems.push(nodesetErrors.duplicateAddress(at, node.address, sameAddress.name, node.name));
      } else byAddress.set(node.address, node);
      // short names are the command lines' and the inventory's host names: they must differ too
      const sameName = byName.get(node.name) ?? byName.get(node.short);
      if (sameName) {
        const at = placeOf(role.name, role.nodes.length > 1 ? 'node-name' : 'addresses');
        problems.push(
          nodesetErrors.duplicateNode(at, node.name === sameName.name ? node.name : node.short, [
            sameName.role,
            role.name,
          ]),
        );
      } else {
        byName.set(node.name, node);
        byName.set(node.short, node);
      }
    }
  }
  const balancers = roles.flatMap((role) => (role.kind === 'balancer' ? role.nodes : []));
  if (balancers.length > 1) {
    const second = balancers[1];
    problems.push(
      nodesetErrors.twoBalancers(
        placeOf(second.role, 'addresses', second.address),
        balancers.map((n) => n.name),
      ),
    );
  }
}

/**
 * `known`: the deployment's [buildout] parts; `programs`: what each part declares (parts whose
 * recipe could not run are absent and not judged). Returns the common parts.
 */
export function checkParts(
  roles: NodesetRole[],
  known: string[],
  programs: Map<string, string[]>,
  placeOf: PlaceOf,
  unassignedPlace: (part: string) => NodesetPlace,
  problems: ZetaError[],
): string[] {
  const owner = new Map<string, string>();
  for (const role of roles) {
    for (const part of role.parts) {
      const at = placeOf(role.name, 'parts', part);
      if (!known.includes(part)) problems.push(nodesetErrors.unknownPart(at, role.name, part, nearest(part, known)));
      const first = owner.get(part);
      if (first !== undefined && first !== role.name)
        problems.push(nodesetErrors.partInTwoRoles(at, part, [first, role.name]));
      else owner.set(part, role.name);
    }
  }
  const common: string[] = [];
  for (const part of known) {
    if (owner.has(part)) continue;
    const declared = programs.get(part) ?? [];
    if (declared.length) problems.push(nodesetErrors.unassignedPart(unassignedPlace(part), part, declared));
    else common.push(part);
  }
  return common;
}
