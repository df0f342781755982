/**
 * What supervisorctl's and the panel's names mean. A bare NAME is that one program, never a
 * group: `stop nginx` must not also stop another program whose type is nginx. A group is asked
 * for as one: `type:TYPE` (every program of that type), `part:PART` (every program the part
 * declared), or `all`. An unknown name is an error with the nearest name and, when the word is a
 * type or a part, the group spelling that was probably meant.
 */
import type { Program, SupervisorConfig } from './config';
import type { ZetaError } from '../../src/errors/zeta-error';
import { cliErrors } from '../../src/errors/factories/cli';
import { processManagerErrors } from '../../src/errors/factories/process-manager';
import { nearest } from '../../src/util/suggest';

const GROUP = /^(type|part):(.*)$/;

function groupsOf(config: SupervisorConfig): { types: string[]; parts: string[] } {
  return {
    types: [...new Set(config.programs.map((p) => p.type))],
    parts: [...new Set(config.programs.flatMap((p) => (p.part ? [p.part] : [])))],
  };
}

/** Every name a user may write: the programs, `type:...`, `part:...` and `all`. */
export function knownSelectors(config: SupervisorConfig): string[] {
  const { types, parts } = groupsOf(config);
  return [
    ...config.programs.map((p) => p.name),
    ...types.map((t) => `type:${t}`),
    ...parts.map((p) => `part:${p}`),
    'all',
  ];
}

export function unknownProgram(config: SupervisorConfig, name: string): ZetaError {
  const { types, parts } = groupsOf(config);
  const names = config.programs.map((p) => p.name);
  const asGroup = types.includes(name) ? `type:${name}` : parts.includes(name) ? `part:${name}` : undefined;
  const suggestion = asGroup ?? nearest(name, knownSelectors(config));
  const what = GROUP.test(name) ? 'group' : 'program';
  const groups = [...types.map((t) => `type:${t}`), ...parts.map((p) => `part:${p}`)];
  const hint =
    `${suggestion ? `did you mean "${suggestion}"? ` : ''}programs: ${names.join(', ') || '(none)'}; ` +
    `groups: ${groups.join(', ') || '(none)'}; or "all".`;
  return processManagerErrors.unknownProgram(what, name, hint);
}

/** The programs one selector names (empty when it names nothing). */
function matching(config: SupervisorConfig, name: string): Program[] {
  if (name === 'all') return config.programs;
  const group = GROUP.exec(name);
  if (group) return config.programs.filter((p) => (group[1] === 'type' ? p.type : p.part) === group[2]);
  return config.programs.filter((p) => p.name === name);
}

/** Whether the selector names one program rather than a group. */
export function isProgramName(config: SupervisorConfig, name: string): boolean {
  return config.programs.some((p) => p.name === name);
}

/** NAME, type:TYPE, part:PART or "all", in priority order, each program once. */
export function selectPrograms(config: SupervisorConfig, names: string[]): Program[] {
  if (!names.length) {
    const message = 'name a program, a group (type:TYPE, part:PART) or "all"';
    throw cliErrors.badUsage(message, 'e.g. bin/supervisorctl restart instance1');
  }
  const chosen = new Set<Program>();
  for (const name of names) {
    const matches = matching(config, name);
    if (!matches.length) throw unknownProgram(config, name);
    for (const program of matches) chosen.add(program);
  }
  return [...chosen].sort((a, b) => a.priority - b.priority);
}
