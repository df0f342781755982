/**
 * What `nodeset deploy | rollback | plan` take from the command line besides the nodeset:
 * `--deploy-root-of NODE=PATH[,NODE=PATH]` (nodes whose deploy root differs, as in a sandbox
 * whose hosts share one filesystem) and `--known-hosts FILE` (the pinned host keys; default
 * `known_hosts` beside the nodeset file).
 */
import { cliErrors, quoted } from '../../errors/codes';
import { findNode } from '../../nodeset/model';
import type { LoadedNodeset } from '../../nodeset/load';
import { defaultSettings, deployRootOf, type AnsibleSettings } from '../../nodeset/ansible/settings';
import { assembledTreeHooks, type DeployHooks } from '../../nodeset/deploy/hooks';
import type { NodesetRequest } from '../nodeset';

export function deploySettings(loaded: LoadedNodeset, request: NodesetRequest): AnsibleSettings {
  const roots: Record<string, string> = {};
  for (const pair of (request.args.flags.get('--deploy-root-of') ?? '').split(',').filter(Boolean)) {
    const [name, root] = pair.split('=');
    const node = findNode(loaded.nodeset, name ?? '');
    if (!node || !root?.startsWith('/'))
      throw cliErrors.badUsage(
        `--deploy-root-of ${quoted(pair)}: ${node ? 'the deploy root must be an absolute path' : `no node ${quoted(name ?? '')}`}`,
        'write --deploy-root-of NODE=/absolute/path, several separated by commas; nodeset list shows the nodes.',
      );
    roots[node.short] = root;
  }
  const knownHosts = request.args.flags.get('--known-hosts');
  return defaultSettings(loaded.nodeset, { deployRootOf: roots, ...(knownHosts ? { knownHosts } : {}) });
}

export function deployHooks(loaded: LoadedNodeset, settings: AnsibleSettings): DeployHooks {
  return assembledTreeHooks(loaded, (node) => deployRootOf(loaded.nodeset, settings, node));
}
