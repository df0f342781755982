/**
 * The runtime configuration the supervisor recipe writes (parts/<name>/supervisor.json, 0600)
 * and everything derived from it: where pm2, the logs and the monitor database live.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { ProgramSpec } from '../recipe';
import { ZetaError } from '../errors/zeta-error';

export interface Program extends ProgramSpec {
  /** The generated wrapper that gives the program exactly its environment. */
  wrapper: string;
  /** pm2 writes its stdout and stderr there (the same file with redirect_stderr). */
  outLog: string;
  errLog: string;
  /** `programs` lines only: supervisord's autostart, startsecs and redirect_stderr. */
  autostart?: boolean;
  startSecs?: number;
  redirectStderr?: boolean;
}

export interface SupervisorConfig {
  version: number;
  part: string;
  directory: string;
  /** Short on purpose: pm2's unix sockets live there (sun_path holds 107 bytes). */
  pm2Home: string;
  logDir: string;
  /** The pm2 ecosystem the recipe generated: { apps: [...] }. */
  ecosystem: string;
  stateDir: string;
  panel: { host: string; port: number; user: string; password: string };
  logs: { maxBytes: number; backups: number };
  monitor: { intervalMs: number; maxSamples: number };
  restart: { maxRetries: number; baseDelayMs: number; maxDelayMs: number; stableAfterMs: number };
  links: Array<{ title: string; url: string }>;
  programs: Program[];
  /** The file it was read from. */
  file: string;
}

export function loadConfig(file: string): SupervisorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ZetaError('SUPERVISOR_CONFIG', `cannot read the process manager's configuration ${file}: ${(error as Error).message}`, {
      hint: 'run bin/assemble first: the supervisor part writes it.',
    });
  }
  const config = JSON.parse(text) as SupervisorConfig;
  config.file = path.resolve(file);
  return config;
}

/** The program's pm2 app from the generated ecosystem. */
export function pm2AppOf(config: SupervisorConfig, name: string): Record<string, unknown> {
  const { apps } = JSON.parse(readFileSync(config.ecosystem, 'utf8')) as { apps: Array<Record<string, unknown>> };
  const app = apps.find((a) => a.name === name);
  if (!app) throw new Error(`program ${name} is missing from ${config.ecosystem}`);
  return app;
}

export function databaseFile(config: SupervisorConfig): string {
  return path.join(config.stateDir, 'monitor.sqlite');
}

/** The pm2 app name of the agent (panel, monitor, crash-loop policy, log rotation). */
export const AGENT = 'zeta-agent';

export function agentLog(config: SupervisorConfig): string {
  return path.join(config.logDir, `${config.part}-agent.log`);
}

/** Groups by priority, lowest first: each group starts only when the one before is ready. */
export function priorityGroups(programs: Program[]): Program[][] {
  const byPriority = new Map<number, Program[]>();
  for (const program of programs) byPriority.set(program.priority, [...(byPriority.get(program.priority) ?? []), program]);
  return [...byPriority.keys()].sort((a, b) => a - b).map((p) => byPriority.get(p)!);
}
