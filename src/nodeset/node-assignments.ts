/**
 * What makes one node's tree out of the whole deployment: command-line assignments laid over
 * the nodeset file, as a user could type them (annotate shows each as a command-line origin).
 *
 * - `buildout:directory` is the node's target; `buildout:parts` keeps the node's role parts and
 *   the common parts, in the deployment's order, plus the hosts-file part;
 * - other roles' parts are plain data here (foreignParts);
 * - each role's hosts options ([hosts] nginx, database, ...) are the node's own address on the
 *   role's nodes and the role's first node's address elsewhere; `node-hosts-options` are every
 *   node's own address;
 * - on the balancer, haproxy's backends name every app node's instances (backends.ts);
 * - on a database node, MariaDB's accounts are granted to every app node's address;
 * - the process manager's agent is named after the node, reads every other node's agent as a
 *   peer over HTTPS with the nodeset's certificate (agent-tls.ts), and shares one token with
 *   them: an HMAC of the panel password and the nodeset's name, so it is the same on every node
 *   and in every release. What the user wrote for these options is kept.
 */
import { createHmac } from 'node:crypto';
import type { Resolver } from '../config/interpolate';
import { partList } from '../parts/part-list';
import { rewriteBackends, nodesetBackends } from './backends';
import { HOSTS_FILE, hostsFileText } from './hosts-file';
import type { Nodeset, NodesetNode, Override } from './model';
import { agentTlsFiles } from './agent-tls';

/** The template part that writes etc/hosts.nodeset. */
export const HOSTS_PART = 'nodeset-hosts';

function recipeOf(resolver: Resolver, part: string): string {
  return resolver.get(part, 'recipe')?.trim() ?? '';
}

function hostsAssignments(nodeset: Nodeset, node: NodesetNode): Override[] {
  const out: Override[] = [];
  for (const role of nodeset.roles) {
    const address = role.name === node.role ? node.address : role.nodes[0]?.address;
    if (address) for (const option of role.hostsOptions) out.push(`${nodeset.hostsSection}:${option}=${address}`);
  }
  for (const option of nodeset.nodeHostsOptions) out.push(`${nodeset.hostsSection}:${option}=${node.address}`);
  return out;
}

function balancerAssignments(nodeset: Nodeset, resolver: Resolver, parts: string[]): Override[] {
  const out: Override[] = [];
  for (const part of parts) {
    if (recipeOf(resolver, part) !== 'haproxy') continue;
    const backends = resolver.get(part, 'backends') ?? '';
    const servers = nodesetBackends(nodeset, resolver, backends);
    if (!servers.length) continue;
    out.push(`${part}:backends=${rewriteBackends(nodeset, resolver, backends)}`);
    // the servers are on other nodes, where this tree's own check cannot see them listen; they
    // are the instances' own addresses on their nodes by construction
    out.push(`${part}:check-upstream=false`);
    // hand-written servers carry no health-check path: take the instances' own
    const check = resolver.get(servers[0].part, 'health-check');
    if (check && resolver.get(part, 'check-path') === undefined) out.push(`${part}:check-path=${check}`);
  }
  return out;
}

function grantAssignments(nodeset: Nodeset, resolver: Resolver, parts: string[]): Override[] {
  const clients = nodeset.nodes.filter((n) => n.kind === 'appserver').map((n) => n.address);
  return parts
    .filter((part) => recipeOf(resolver, part) === 'mysql')
    .map((part) => {
      const given = (resolver.get(part, 'user-hosts') ?? '').split(/\s+/).filter(Boolean);
      const hosts = [...new Set([...(given.length ? given : ['localhost', '127.0.0.1']), ...clients])];
      return `${part}:user-hosts=${hosts.join(' ')}`;
    });
}

const SUPERVISORS = ['supervisor', 'collective.recipe.supervisor'];

/** The panel's port: `port` is bare or host:port. */
function panelPort(resolver: Resolver, part: string): string | undefined {
  return (resolver.get(part, 'port') ?? '').trim().split(':').pop() || undefined;
}

function agentAssignments(
  nodeset: Nodeset,
  resolver: Resolver,
  node: NodesetNode,
  parts: string[],
  tlsDir: string,
): Override[] {
  const out: Override[] = [];
  for (const part of parts.filter((p) => SUPERVISORS.includes(recipeOf(resolver, p)))) {
    const port = panelPort(resolver, part);
    // the user's, not what the recipe derived when the whole file was inspected (agent-token)
    const derived = resolver.stateOf(part)?.derived;
    const given = (option: string): boolean => !derived?.has(option) && resolver.get(part, option) !== undefined;
    if (!given('node')) out.push(`${part}:node=${node.short}`);
    if (!given('node-role')) out.push(`${part}:node-role=${node.role}`);
    if (!given('tls-certificate')) {
      const tls = agentTlsFiles(tlsDir);
      out.push(`${part}:tls-certificate=${tls.certificate}`, `${part}:tls-key=${tls.key}`);
      if (!given('peer-ca')) out.push(`${part}:peer-ca=${tls.certificate}`);
    }
    if (!given('peers') && port) {
      const peers = nodeset.nodes.filter((n) => n !== node).map((n) => `${n.short}=https://${n.address}:${port}`);
      out.push(`${part}:peers=${peers.join('\n')}`);
    }
    const password = resolver.get(part, 'password')?.trim();
    if (!given('agent-token') && password)
      out.push(
        `${part}:agent-token=${createHmac('sha256', password).update(`zetaserver nodeset agent token\0${nodeset.name}\0${part}`).digest('hex')}`,
      );
  }
  return out;
}

/**
 * Other roles' parts, read as plain data on this node (an empty recipe): a reference to one of
 * their options (the panel's link to nginx's status page) must not install it here.
 */
export function foreignParts(nodeset: Nodeset, node: NodesetNode): string[] {
  const own = new Set(node.parts);
  return [...new Set(nodeset.roles.flatMap((role) => role.parts))].filter((part) => !own.has(part));
}

const REFERENCE = /\$\{([^:}\s]*):([^}\s]+)\}/g;

/**
 * A foreign part as data: no recipe; an option that refers to what a recipe derives (nginx's
 * `${varnish:socket}`) takes the value it has in the whole nodeset file, since that recipe does
 * not run here. Other options keep their references, so they follow this node's [hosts].
 */
function foreignAssignments(resolver: Resolver, part: string): Override[] {
  const out: Override[] = [`${part}:recipe=`];
  const state = resolver.section(part);
  for (const [option, raw] of state.raw) {
    if (option === 'recipe') continue;
    const derivedRef = [...raw.value.matchAll(REFERENCE)].some(([, section, name]) => {
      const other = resolver.stateOf(section || part);
      return other?.derived?.has(name) ?? false;
    });
    if (!derivedRef) continue;
    try {
      out.push(`${part}:${option}=${(resolver.get(part, option) ?? '').replace(/\$/g, '$$$$')}`);
    } catch {
      // it does not resolve in the whole file either: this node's run reports it if it is read
    }
  }
  return out;
}

/** The parts of `node`'s tree (its role's and the common ones), in the deployment's order. */
export function nodeParts(nodeset: Nodeset, resolver: Resolver, node: NodesetNode): string[] {
  const keep = new Set([...node.parts, ...nodeset.commonParts]);
  return partList(resolver).filter((part) => keep.has(part));
}

/** `tlsDir`: where the node's tree finds the agents' pair (the node's shared directory, or the controller's). */
export function nodeAssignments(
  nodeset: Nodeset,
  resolver: Resolver,
  node: NodesetNode,
  target: string,
  tlsDir: string,
): Override[] {
  const parts = nodeParts(nodeset, resolver, node);
  return [
    `buildout:directory=${target}`,
    `buildout:parts=${[...parts, HOSTS_PART].join('\n')}`,
    ...foreignParts(nodeset, node).flatMap((part) => foreignAssignments(resolver, part)),
    ...hostsAssignments(nodeset, node),
    ...(node.kind === 'balancer' ? balancerAssignments(nodeset, resolver, parts) : []),
    ...grantAssignments(nodeset, resolver, parts),
    ...agentAssignments(nodeset, resolver, node, parts, tlsDir),
    `${HOSTS_PART}:recipe=template`,
    `${HOSTS_PART}:output=\${buildout:directory}/${HOSTS_FILE}`,
    `${HOSTS_PART}:inline=${hostsFileText(nodeset)}`,
  ];
}
