/**
 * What a node's release is made from: the shipped source (the checkout beside the nodeset file,
 * without the control directory and build output) as far as the node's tree reads it
 * (node-fingerprint.ts), and the set of nodes. Equal hashes mean the node is already at that
 * release: a deploy ships nothing there and restarts nothing.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { NodesetNode } from '../model';
import type { NodeFingerprint } from './node-fingerprint';

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

/** The shipped files (relative paths, sorted) and each one's content hash: read once for every node. */
export type SourceDigest = Array<[file: string, sha256: string]>;

export function sourceDigest(root: string): SourceDigest {
  return files(root).map((file) => [
    file,
    createHash('sha256')
      .update(readFileSync(path.join(root, file)))
      .digest('hex'),
  ]);
}

function within(file: string, named: string): boolean {
  return file === named || file.startsWith(`${named}/`);
}

/**
 * One node's hash: its fingerprint (the resolved options of its parts, and the shipped files they
 * name) or, without one, every shipped file; its name; and every node's identity, since every tree
 * names every node (hosts file, backends, grants).
 */
export function nodeHash(
  digest: SourceDigest,
  node: NodesetNode,
  all: NodesetNode[],
  print?: NodeFingerprint,
  shared = '',
): string {
  const hash = createHash('sha256').update(`${node.name}\0`);
  if (shared) hash.update(`shared ${shared}\0`);
  if (print) hash.update(`${print.options}\0`);
  for (const [file, sha] of digest)
    if (!print || print.named.some((named) => within(file, named))) hash.update(`${file}\0${sha}\n`);
  for (const other of all) hash.update(`${other.name} ${other.address} ${other.role} ${other.parts.join(' ')}\n`);
  return hash.digest('hex').slice(0, 32);
}

/** Every node's hash of the source at `root`, by short name; `shared`: the hash of the files every node shares. */
export async function releaseHashes(
  root: string,
  nodes: NodesetNode[],
  fingerprint?: (node: NodesetNode) => Promise<NodeFingerprint>,
  shared?: string,
): Promise<Record<string, string>> {
  const digest = sourceDigest(root);
  const out: Record<string, string> = {};
  for (const n of nodes)
    out[n.short] = nodeHash(digest, n, nodes, fingerprint ? await fingerprint(n) : undefined, shared);
  return out;
}
