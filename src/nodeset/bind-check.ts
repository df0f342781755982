/**
 * Nothing on a node listens beyond the addresses the nodeset names: every program of the
 * node's tree listens on the node's own address or on loopback, never on all interfaces and
 * never on another node's address (a hosts option a role forgot to claim). Checked on the
 * prepared run, before anything is planned or written.
 */
import { isIP } from 'node:net';
import type { PreparedRun } from '../plan/prepare';
import { nodesetErrors } from '../errors/codes';
import { together, type ZetaError } from '../errors/zeta-error';
import { formatAddress } from '../util/address';
import type { NodesetNode } from './model';

function loopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

export function checkBinds(run: PreparedRun, node: NodesetNode): void {
  const problems: ZetaError[] = [];
  for (const [part, info] of run.parts) {
    if (run.only && !run.only.has(part)) continue;
    for (const program of info.programs) {
      for (const listen of program.listen) {
        if (listen.host === node.address || loopback(listen.host)) continue;
        problems.push(nodesetErrors.foreignBind(node.name, node.address, part, program.name, formatAddress(listen)));
      }
    }
  }
  if (problems.length) throw together(problems);
}
