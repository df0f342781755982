/**
 * The runtime configuration the supervisor recipe writes (parts/<name>/supervisor.json, 0600)
 * and everything derived from it: where pm2, the logs and the monitor database live.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { FORMAT_VERSION, type ProgramEntry, type SupervisorFile } from './format';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

export type Program = ProgramEntry;

export interface SupervisorConfig extends SupervisorFile {
  /** The file it was read from. */
  file: string;
}

export function loadConfig(file: string): SupervisorConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw processManagerErrors.configUnreadable(file, (error as Error).message);
  }
  let config: SupervisorConfig;
  try {
    config = JSON.parse(text) as SupervisorConfig;
  } catch (error) {
    throw processManagerErrors.configNotJson(file, (error as Error).message);
  }
  if (config?.version !== FORMAT_VERSION) {
    throw processManagerErrors.configFormat(file, String(config?.version), FORMAT_VERSION);
  }
  config.file = path.resolve(file);
  return config;
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
  for (const program of programs)
    byPriority.set(program.priority, [...(byPriority.get(program.priority) ?? []), program]);
  return [...byPriority.keys()].sort((a, b) => a - b).map((p) => byPriority.get(p)!);
}

/** The panel's address as a URL: https when it has a certificate. */
export function panelUrl(panel: { host: string; port: number; tls?: object }): string {
  const host = panel.host.includes(':') ? `[${panel.host}]` : panel.host;
  return `${panel.tls ? 'https' : 'http'}://${host}:${panel.port}/`;
}

/** This node's name in /metrics and the read API: `node`, else the panel's address. */
export function nodeNameOf(config: SupervisorConfig): string {
  return config.agent?.node ?? `${config.panel.host}:${config.panel.port}`;
}

/** The release this tree is, when it runs through a link (a nodeset's releases/<id>). */
export function releaseOf(config: SupervisorConfig): string | null {
  return config.runFrom ? path.basename(config.directory) : null;
}
