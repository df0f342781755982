/**
 * One [role.NAME] section as a NodesetRole: its kind, its parts, and a node per address, named
 * by node-name (`app{{n}}.${nodeset:base-domain}`: {{n}} counts the addresses from 1).
 */
import type { LoadedConfig } from '../config/load-config';
import { nodesetErrors } from '../errors/codes';
import type { ZetaError } from '../errors/zeta-error';
import type { NodesetRole, RoleKind } from './model';
import { SectionReader } from './options';

export const ROLE_PREFIX = 'role.';
const KINDS: RoleKind[] = ['appserver', 'balancer', 'service'];

/** The role sections of a configuration, in definition order. */
export function roleSections(config: LoadedConfig): string[] {
  return [...config.data.keys()].filter((name) => name.startsWith(ROLE_PREFIX) && name.length > ROLE_PREFIX.length);
}

function kindOf(reader: SectionReader, name: string): RoleKind {
  const given = reader.text('kind');
  if (given) {
    if ((KINDS as string[]).includes(given)) return given as RoleKind;
    reader.problems.push(nodesetErrors.badValue(reader.place('kind'), given, `expected one of ${KINDS.join(', ')}`));
    return 'service';
  }
  // appserver*, balancer*, service-*: the names the documentation uses say what the role does
  const fromName = KINDS.find((kind) => name === kind || name.startsWith(kind));
  if (fromName) return fromName;
  reader.problems.push(nodesetErrors.unknownKind(reader.header(), name));
  return 'service';
}

function nodeName(template: string, n: number): string {
  return template.replace(/\{\{\s*n\s*\}\}/g, String(n));
}

export function readRole(
  config: LoadedConfig,
  section: string,
  context: { baseDomain: string; hostsSection: string },
  problems: ZetaError[],
): NodesetRole {
  const reader = new SectionReader(config, section, problems);
  const name = section.slice(ROLE_PREFIX.length);
  const kind = kindOf(reader, name);
  const parts = reader.words('parts');
  const addresses = reader.addresses('addresses');
  if (!reader.words('addresses').length)
    problems.push(nodesetErrors.emptyRole(reader.place('addresses'), name, 'addresses'));
  if (!parts.length) problems.push(nodesetErrors.emptyRole(reader.place('parts'), name, 'parts'));
  if (reader.has('nodes')) {
    const nodes = reader.integer('nodes', addresses.length, 0);
    const written = reader.words('addresses').length;
    if (nodes !== written) problems.push(nodesetErrors.nodeCount(reader.place('nodes'), name, nodes, written));
  }
  const domain = context.baseDomain ? `.${context.baseDomain}` : '';
  const template = reader.text('node-name') || (addresses.length > 1 ? `${name}{{n}}${domain}` : `${name}${domain}`);
  const nodes = addresses.map((address, index) => {
    const full = nodeName(template, index + 1);
    return { name: full, short: full.split('.')[0], role: name, kind, address, parts };
  });
  const hostsOptions = reader.has('hosts-options')
    ? reader.words('hosts-options')
    : parts.filter((part) => config.data.get(context.hostsSection)?.has(part));
  const updateCommand = reader.text('update-command') || undefined;
  return {
    name,
    kind,
    parts,
    nodes,
    ...(updateCommand ? { updateCommand } : {}),
    updateReversible: reader.bool('update-reversible', true),
    hostnames: reader.words('hostnames'),
    hostsOptions,
  };
}
