/**
 * What every command works with: the configuration, the pm2 client, the database, and a way to
 * tell the operator what is going on. Also the lookups by program name that give clear errors.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Program, SupervisorConfig } from './config';
import type { Pm2Client } from './pm2-client';
import type { StateDb } from './state-db';
import { ZetaError } from '../errors/zeta-error';
import { nearest } from '../util/suggest';

export interface Runtime {
  config: SupervisorConfig;
  pm2: Pm2Client;
  db: StateDb;
  /** A line for the operator (stderr for the CLIs, the log for the agent). */
  say(line: string): void;
  /** A transient progress line (rewritten in place on a terminal); empty clears it. */
  progress(line: string): void;
}

export function unknownProgram(config: SupervisorConfig, name: string): ZetaError {
  const names = config.programs.map((p) => p.name);
  const groups = [...new Set(config.programs.flatMap((p) => [p.part ?? '', p.type]).filter(Boolean))];
  const suggestion = nearest(name, [...names, ...groups]);
  return new ZetaError('UNKNOWN_PROGRAM', `there is no program or group named "${name}" in this deployment`, {
    hint: `${suggestion ? `did you mean "${suggestion}"? ` : ''}programs: ${names.join(', ') || '(none)'}; groups (parts and types): ${groups.join(', ') || '(none)'}; or "all".`,
  });
}

/** NAME, a GROUP (the part that declared them, or their type) or "all", in priority order. */
export function selectPrograms(config: SupervisorConfig, names: string[]): Program[] {
  if (!names.length) throw new ZetaError('BAD_USAGE', 'name a program, a group or "all"', { hint: 'e.g. bin/supervisorctl restart instance1' });
  const chosen = new Set<Program>();
  for (const name of names) {
    const matches = name === 'all' ? config.programs : config.programs.filter((p) => p.name === name || p.part === name || p.type === name);
    if (!matches.length) throw unknownProgram(config, name);
    for (const program of matches) chosen.add(program);
  }
  return [...chosen].sort((a, b) => a.priority - b.priority);
}

/** What a running program was started with: `update` compares it with the new configuration. */
export function specHash(program: Program): string {
  return createHash('sha256').update(JSON.stringify(program)).digest('hex');
}

export function configFilesHash(program: Program): string {
  const hash = createHash('sha256');
  for (const file of program.configFiles ?? []) {
    hash.update(file).update('\0');
    try {
      hash.update(readFileSync(file));
    } catch {
      hash.update('missing');
    }
  }
  return hash.digest('hex');
}
