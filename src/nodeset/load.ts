/**
 * loadNodeset: a nodeset file as a Nodeset. The file is an ordinary configuration (it extends
 * the deployment; extends, macros, substitutions and command-line assignments work as
 * everywhere): [nodeset] holds the set's settings, each [role.NAME] a role. The deployment's
 * parts run their options phase (leniently, as for annotate) to learn which ones run programs.
 * Every problem is collected and reported together, located at the option that says it.
 */
import * as path from 'node:path';
import { loadForInspection, type InspectedConfig } from '../parts/inspect';
import { partList } from '../parts/part-list';
import { nodesetErrors } from '../errors/codes';
import { together, type ZetaError } from '../errors/zeta-error';
import type { DownloadService } from '../download/download-service';
import { installRoot } from '../util/install-root';
import { findNode, type Nodeset, type NodesetNode, type Override } from './model';
import { nearest } from '../util/suggest';
import { SectionReader } from './options';
import { readRole, roleSections, ROLE_PREFIX } from './roles';
import { checkNodes, checkParts, type PlaceOf } from './checks';

export interface LoadedNodeset {
  nodeset: Nodeset;
  /** The merged configuration the nodeset was read from (every node's tree starts from it). */
  config: InspectedConfig;
}

/** The nodeset of `file`, with `overrides` applied to the configuration first. */
export async function loadNodeset(
  file: string,
  overrides: Override[],
  downloads?: () => DownloadService,
): Promise<Nodeset> {
  return (await loadNodesetConfig(file, overrides, downloads)).nodeset;
}

export async function loadNodesetConfig(
  file: string,
  overrides: Override[],
  downloads?: () => DownloadService,
): Promise<LoadedNodeset> {
  const config = await loadForInspection({ file, assignments: overrides, downloads });
  if (!config.data.has('nodeset')) throw nodesetErrors.missingNodeset(config.file, '[nodeset]');
  const sections = roleSections(config);
  if (!sections.length) throw nodesetErrors.missingNodeset(config.file, 'role');
  const problems: ZetaError[] = [];
  const settings = new SectionReader(config, 'nodeset', problems);
  const name = settings.text('name') || path.basename(config.file).replace(/\.cfg$/, '');
  const baseDomain = settings.text('base-domain');
  const hostsSection = settings.text('hosts-section', 'hosts');
  const roles = sections.map((section) => readRole(config, section, { baseDomain, hostsSection }, problems));
  const placeOf: PlaceOf = (role, option, needle) =>
    new SectionReader(config, `${ROLE_PREFIX}${role}`, problems).place(option, needle);
  checkNodes(roles, placeOf, problems);
  const buildout = new SectionReader(config, 'buildout', problems);
  const commonParts = checkParts(
    roles,
    partList(config.resolver),
    config.programsOf(),
    placeOf,
    (part) => buildout.place('parts', part),
    problems,
  );
  const nodeset: Nodeset = {
    name,
    file: config.file,
    baseDomain,
    sshUser: settings.text('ssh-user', 'root'),
    ...(settings.text('ssh-key') ? { sshKey: settings.text('ssh-key') } : {}),
    deployRoot: settings.text('deploy-root', '/srv/zetaserver'),
    keepReleases: settings.integer('keep-releases', 5, 2),
    serial: settings.serial('serial'),
    writeEtcHosts: settings.bool('write-etc-hosts', false),
    zetaserver: settings.text('zetaserver') || installRoot(),
    hostsSection,
    nodeHostsOptions: settings.words('node-hosts-options'),
    sources: settings.words('sources'),
    sourcesDirectory: settings.fileOf('sources') ?? path.dirname(config.file),
    commonParts,
    roles,
    nodes: roles.flatMap((role) => role.nodes),
    controlDir: path.join(path.dirname(config.file), '.nodeset', name),
    overrides,
  };
  if (problems.length) throw together(problems);
  return { nodeset, config };
}

/** A node by its full or short name; an unknown name is an error naming the nearest one. */
export function nodeNamed(nodeset: Nodeset, name: string): NodesetNode {
  const node = findNode(nodeset, name);
  if (node) return node;
  const names = nodeset.nodes.flatMap((n) => [n.short, n.name]);
  throw nodesetErrors.unknownNode(
    name,
    nodeset.nodes.map((n) => n.short),
    nearest(name, names),
  );
}
