/**
 * The releases read back from the nodes (facts.yml): each node's `current` target, its previous
 * release, the releases on disk and the source hash of the current one. The next release id is
 * one more than the highest found on any node, so that every node gets the same id.
 */
import { taskResults, type PlaybookRun } from './run-playbook';

export interface NodeReleases {
  current?: string;
  previous?: string;
  releases: string[];
  /** The source hash the current release was assembled from (empty: unknown). */
  hash?: string;
  /** The hash of each set of files every node shares (SharedFiles), by name, as the node has them. */
  shared: Record<string, string>;
}

const RELEASE = /^r(\d+)$/;
/** facts.yml's `shared-hash-NAME=HASH` lines. */
const SHARED_HASH_FIELD = 'shared-hash-';

export function releaseNumber(id: string): number {
  const match = RELEASE.exec(id);
  return match ? Number(match[1]) : 0;
}

export function parseReleases(stdout: string): NodeReleases {
  const fields = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) fields.set(line.slice(0, at), line.slice(at + 1).trim());
  }
  const releases = (fields.get('releases') ?? '')
    .split(/\s+/)
    .filter((id) => RELEASE.test(id))
    .sort((a, b) => releaseNumber(a) - releaseNumber(b));
  const pick = (key: string): string | undefined => (RELEASE.test(fields.get(key) ?? '') ? fields.get(key) : undefined);
  return {
    current: pick('current'),
    previous: pick('previous'),
    releases,
    hash: fields.get('hash') || undefined,
    shared: Object.fromEntries(
      [...fields]
        .filter(([key]) => key.startsWith(SHARED_HASH_FIELD))
        .map(([key, hash]) => [key.slice(SHARED_HASH_FIELD.length), hash]),
    ),
  };
}

/** The releases of every node that answered facts.yml. */
export function releasesOf(run: PlaybookRun): Record<string, NodeReleases> {
  return Object.fromEntries(
    Object.entries(taskResults(run, 'read releases'))
      .filter(([, result]) => !result.failed && !result.unreachable)
      .map(([node, result]) => [node, parseReleases(String(result.stdout ?? ''))]),
  );
}

export function nextReleaseId(all: Record<string, NodeReleases>): string {
  let highest = 0;
  for (const node of Object.values(all)) {
    for (const id of [...node.releases, node.current ?? '']) highest = Math.max(highest, releaseNumber(id));
  }
  return `r${highest + 1}`;
}
