/**
 * assembleNode: one node's tree, assembled from the nodeset file with the node's assignments
 * (node-assignments.ts) on top of the user's own, by the ordinary engine (assemble.ts): plan,
 * install or apply, the same state file, the same checks, plus one of its own: nothing listens
 * beyond the node's address (bind-check.ts).
 *
 * Data and logs outlive releases: with a shared directory, the recipes' var/ is `<shared>/var`
 * (buildout:var-directory: MariaDB's datadir, logs, run files and the process manager's state,
 * named so in the generated files), and the tree's own `var/` is a link to it, made before the
 * engine runs, for the options that say ${buildout:directory}/var.
 */
import { cpSync, existsSync, lstatSync, mkdirSync, readlinkSync, rmSync, symlinkSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import * as path from 'node:path';
import type { Logger } from '../output/logger';
import { assemble, type AssembleRequest, type Assembly } from '../assemble';
import type { InspectedConfig } from '../parts/inspect';
import type { Nodeset, NodesetNode, Override } from './model';
import { nodeAssignments } from './node-assignments';
import { ROLE_PREFIX } from './roles';
import { checkBinds } from './bind-check';
import { nodesetErrors } from '../errors/codes';
import { AGENT_TLS, agentTlsFiles, ensureAgentTls } from './agent-tls';

export interface AssembleNodeOptions extends Omit<AssembleRequest, 'file' | 'assignments' | 'check'> {
  /** The tree's directory (its buildout:directory); default `<controlDir>/build/<node>/`. */
  target?: string;
  /** The nodeset's deploy root: a target under `<deployRoot>/releases/` shares `<deployRoot>/shared`. */
  deployRoot?: string;
  /** Where `var/` lives across releases; none: var/ is the tree's own. */
  shared?: string;
  /** The whole nodeset file, inspected (loadNodesetConfig's): the instances' ports, the haproxy parts, its unused sections. */
  config: InspectedConfig;
}

/** Where `node` is built when no target is given. */
export function defaultTarget(nodeset: Nodeset, node: NodesetNode): string {
  return path.join(nodeset.controlDir, 'build', node.short);
}

export function sharedDirectory(target: string, options: { deployRoot?: string; shared?: string }): string | undefined {
  if (options.shared) return path.resolve(options.shared);
  if (!options.deployRoot) return undefined;
  const releases = path.join(path.resolve(options.deployRoot), 'releases');
  return path.dirname(target) === releases ? path.join(path.resolve(options.deployRoot), 'shared') : undefined;
}

/**
 * A release at `<root>/releases/<id>` is run through `<root>/current` (the supervisor's
 * run-from): a program the next release does not change keeps running, one whose configuration
 * changed reloads (recipes/supervisor/run-from.ts).
 */
function releaseLink(target: string, shared: string | undefined): string | undefined {
  if (!shared || path.basename(path.dirname(target)) !== 'releases') return undefined;
  return path.join(path.dirname(path.dirname(target)), 'current');
}

function runFromAssignments(
  nodeset: Nodeset,
  node: NodesetNode,
  config: InspectedConfig,
  link: string | undefined,
): Override[] {
  if (!link) return [];
  const supervisors = [...node.parts, ...nodeset.commonParts].filter((part) =>
    ['supervisor', 'collective.recipe.supervisor'].includes(config.resolver.get(part, 'recipe')?.trim() ?? ''),
  );
  return supervisors.map((part) => `${part}:run-from=${link}`);
}

/** `<target>/var -> <shared>/var`; an existing var/ that is something else is left alone and reported. */
function linkShared(target: string, shared: string): void {
  const link = path.join(target, 'var');
  const want = path.join(shared, 'var');
  mkdirSync(want, { recursive: true });
  mkdirSync(target, { recursive: true });
  if (existsSync(link) || isLink(link)) {
    if (isLink(link) && readlinkSync(link) === want) return;
    throw nodesetErrors.varTaken(link, want);
  }
  symlinkSync(want, link);
}

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

/**
 * The nodeset's sources, copied afresh into a tree built away from the nodeset file (a tree at
 * the file's own directory, as on a node, has them already).
 */
function copySources(nodeset: Nodeset, target: string): void {
  const from = nodeset.sourcesDirectory;
  if (path.resolve(from) === target) return;
  for (const source of nodeset.sources) {
    const destination = path.join(target, source);
    rmSync(destination, { recursive: true, force: true });
    cpSync(path.join(from, source), destination, { recursive: true });
  }
}

/** Whether this machine has `address` (it has on the node itself; not where a node is built for inspection). */
function isLocalAddress(address: string): boolean {
  return Object.values(networkInterfaces()).some((list) => list?.some((entry) => entry.address === address));
}

/**
 * nginx -t binds the listen addresses: away from the node they are not there, so the check is
 * off (and said so); it runs where the node assembles its own release.
 */
function awayFromNode(node: NodesetNode, config: InspectedConfig, logger: Logger): Override[] {
  if (isLocalAddress(node.address)) return [];
  const nginx = node.parts.filter((part) => config.resolver.get(part, 'recipe')?.trim() === 'nginx');
  for (const part of nginx)
    logger.warn(
      `${node.short}: ${node.address} is not an address of this machine: [${part}]'s nginx -t is left to the node`,
    );
  return nginx.map((part) => `${part}:config-check=off`);
}

/** The topmost directory of `dir` that does not exist yet (what making `dir` creates), if any. */
function firstMissing(dir: string): string | undefined {
  let missing: string | undefined;
  for (let d = path.resolve(dir); !existsSync(d); d = path.dirname(d)) missing = d;
  return missing;
}

/**
 * Where the tree finds the agents' pair: on a node, in shared/ where the deploy shipped it; for
 * inspection, the controller's. A shared directory without one (a tree built by hand) gets the
 * controller's copied in, except by plan. `made`: what this call created, removed again by a plan
 * and by a run that fails, which leave nothing behind.
 */
function agentTlsFor(
  nodeset: Nodeset,
  shared: string | undefined,
  command: AssembleRequest['command'],
): { dir: string; made: string[] } {
  const made: string[] = [];
  const controller = (): string => {
    const missing = firstMissing(path.join(nodeset.controlDir, AGENT_TLS));
    if (missing) made.push(missing);
    return ensureAgentTls(nodeset);
  };
  if (!shared) return { dir: controller(), made };
  const dir = path.join(shared, AGENT_TLS);
  const files = agentTlsFiles(dir);
  if (existsSync(files.certificate) && existsSync(files.key)) return { dir, made };
  if (command === 'plan') return { dir: controller(), made };
  const from = controller();
  const missing = firstMissing(dir);
  if (missing) made.push(missing);
  mkdirSync(shared, { recursive: true });
  cpSync(from, dir, { recursive: true });
  return { dir, made };
}

export async function assembleNode(
  nodeset: Nodeset,
  node: NodesetNode,
  options: AssembleNodeOptions,
): Promise<Assembly> {
  const target = path.resolve(options.target ?? defaultTarget(nodeset, node));
  const shared = sharedDirectory(target, options);
  const { config, ...request } = options;
  // plan changes nothing in the tree, not even the link; the sources it reads must be there
  if (request.command !== 'plan' && shared) linkShared(target, shared);
  if (request.command !== 'plan' || nodeset.sources.length) {
    mkdirSync(target, { recursive: true });
    copySources(nodeset, target);
  }
  // a section only other nodes' parts read is unused here, rightly: only what the whole file
  // leaves unused is worth a warning on every node
  const unused = new Set(
    config
      .review()
      .filter(
        (w) =>
          w.code === 'UNUSED_SECTION' && w.section && !w.section.startsWith(ROLE_PREFIX) && w.section !== 'nodeset',
      )
      .map((w) => w.section),
  );
  const tls = agentTlsFor(nodeset, shared, request.command);
  const undo = (): void => {
    for (const made of tls.made) rmSync(made, { recursive: true, force: true });
  };
  let assembly: Assembly;
  try {
    assembly = await assemble({
      ...request,
      warn: (warning) => {
        if (warning.code !== 'UNUSED_SECTION' || unused.has(warning.section)) request.warn(warning);
      },
      file: nodeset.file,
      assignments: [
        ...nodeset.overrides,
        ...nodeAssignments(nodeset, config.resolver, node, target, tls.dir),
        ...awayFromNode(node, config, request.logger),
        ...runFromAssignments(nodeset, node, config, releaseLink(target, shared)),
        ...(shared ? [`buildout:var-directory=${path.join(shared, 'var')}`] : []),
      ],
      check: (run) => checkBinds(run, node),
    });
  } catch (error) {
    undo();
    throw error;
  }
  if (request.command === 'plan') undo();
  return assembly;
}
