/**
 * What a node's release is made from: the shipped source (the checkout beside the nodeset file,
 * without the control directory and build output) and the node's own identity. Equal hashes mean
 * the node is already at that release: a re-run ships nothing and restarts nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { NodesetNode } from '../model';

/** rsync exclude patterns (also skipped by the hash): never shipped from the controller. */
export const SHIP_EXCLUDES = ['/.nodeset/', '/.git/', '/node_modules/', '/.installed.cfg', '/parts/', '/var/', '/log/'];

function excluded(relative: string, isDir: boolean): boolean {
  const probe = `/${relative}${isDir ? '/' : ''}`;
  return SHIP_EXCLUDES.some(
    (pattern) => probe === pattern || probe.startsWith(pattern.endsWith('/') ? pattern : `${pattern}\0`),
  );
}

function files(root: string, dir = ''): string[] {
  return readdirSync(path.join(root, dir), { withFileTypes: true })
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .flatMap((entry) => {
      const relative = dir ? `${dir}/${entry.name}` : entry.name;
      if (excluded(relative, entry.isDirectory())) return [];
      if (entry.isDirectory()) return files(root, relative);
      return entry.isFile() ? [relative] : [];
    });
}

/** One hash of the source tree, then one per node (the same source gives each node its own tree). */
export function sourceHash(root: string): string {
  const hash = createHash('sha256');
  for (const file of files(root)) {
    hash
      .update(file)
      .update('\0')
      .update(readFileSync(path.join(root, file)))
      .update('\0');
  }
  return hash.digest('hex');
}

/** Every node's tree names every other node (hosts file, backends, grants): the whole set is part of each hash. */
export function nodeHash(source: string, node: NodesetNode, all: NodesetNode[]): string {
  const hash = createHash('sha256').update(`${source}\0${node.name}\0`);
  for (const other of all) hash.update(`${other.name} ${other.address} ${other.role} ${other.parts.join(' ')}\n`);
  return hash.digest('hex').slice(0, 32);
}
