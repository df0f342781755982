/**
 * What every command works with: the configuration, the pm2 client, the database, and a way to
 * tell the operator what is going on, and the fingerprints `update` compares.
 */
import { createHash } from 'node:crypto';
import type { Program, SupervisorConfig } from './config';
import type { Pm2Client } from './pm2-client';
import type { StateDb } from './state-db';
import { configHashOf } from './runtime-state';

export interface Runtime {
  config: SupervisorConfig;
  pm2: Pm2Client;
  db: StateDb;
  /** A line for the operator (stderr for the CLIs, the log for the agent). */
  say(line: string): void;
  /** A transient progress line (rewritten in place on a terminal); empty clears it. */
  progress(line: string): void;
}

/** What a running program was started with: `update` compares it with the new configuration. */
export function specHash(program: Program): string {
  return createHash('sha256').update(JSON.stringify(program)).digest('hex');
}

/** The fingerprint of its configuration files as on disk (runtime-state.ts: the planner's too). */
export function configFilesHash(config: SupervisorConfig, program: Program): string {
  return configHashOf(program, undefined, config);
}
