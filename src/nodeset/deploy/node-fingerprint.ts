/**
 * What a node's tree is made of, short of building it: every option of every part in the node's
 * tree, resolved with the node's assignments as `nodeset assemble` makes them (a tree laid at the
 * nodeset file's own directory, as on a node), and the shipped paths those options name. A change
 * to the application's code or to an instance's option then reaches the app nodes only; the
 * balancer and the database keep their release, and their daemons keep running.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { LoadedNodeset } from '../load';
import type { NodesetNode } from '../model';
import { loadForInspection } from '../../parts/inspect';
import { partList } from '../../parts/part-list';
import { nodeAssignments } from '../node-assignments';
import { AGENT_TLS } from '../agent-tls';

export interface NodeFingerprint {
  /** sha256 of the resolved options of the node's parts. */
  options: string;
  /** Paths relative to the shipped root that an option names (a file, or a folder and all below it). */
  named: string[];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export async function nodeFingerprint(loaded: LoadedNodeset, node: NodesetNode): Promise<NodeFingerprint> {
  const { nodeset, config } = loaded;
  const root = path.dirname(nodeset.file);
  const inspected = await loadForInspection({
    file: nodeset.file,
    // the agents' pair is in the hash by its content (releaseHashes' shared), not by its place
    assignments: [
      ...nodeset.overrides,
      ...nodeAssignments(nodeset, config.resolver, node, root, path.join(nodeset.controlDir, AGENT_TLS)),
    ],
  });
  const { resolver } = inspected;
  const hash = createHash('sha256');
  const named = new Set<string>();
  // a path under the root, up to a character that ends a path in an option (space, colon, quote...)
  const under = new RegExp(`${escape(root)}/([^\\s:;,'"()<>=]+)`, 'g');
  for (const part of [...partList(resolver)].sort()) {
    if (!resolver.hasSection(part)) continue;
    const options = [...resolver.options(part)].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    for (const [option, value] of options) {
      hash.update(`${part}\0${option}\0${value}\0`);
      for (const match of value.matchAll(under)) named.add(match[1].replace(/\/+$/, ''));
    }
  }
  return { options: hash.digest('hex'), named: [...named].sort() };
}
