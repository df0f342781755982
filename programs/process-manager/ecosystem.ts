/**
 * The pm2 ecosystem the supervisor part writes beside supervisor.json: one pm2 app per program.
 * The two files are written together; an ecosystem that is missing, unreadable or lacks a
 * program of supervisor.json (one of them copied from another assembly) is a SUPERVISOR_CONFIG
 * error, found before pm2's daemon is spawned.
 */
import { readFileSync } from 'node:fs';
import type { Pm2App } from './format';
import type { Program, SupervisorConfig } from './config';
import { processManagerErrors } from '../../src/errors/factories/process-manager';

function readApps(config: SupervisorConfig): Pm2App[] {
  let data: { apps?: unknown };
  try {
    data = JSON.parse(readFileSync(config.ecosystem, 'utf8')) as { apps?: unknown };
  } catch (error) {
    throw processManagerErrors.ecosystemUnreadable(config.ecosystem, config.file, (error as Error).message);
  }
  if (!Array.isArray(data?.apps)) {
    throw processManagerErrors.ecosystemUnreadable(config.ecosystem, config.file, 'it has no "apps" list');
  }
  return data.apps as Pm2App[];
}

/** Checks that the ecosystem has an app for each of the programs. */
export function checkEcosystem(config: SupervisorConfig, programs: Program[]): void {
  const names = new Set(readApps(config).map((app) => app.name));
  const missing = programs.filter((p) => !names.has(p.name)).map((p) => p.name);
  if (missing.length) throw processManagerErrors.ecosystemStale(config.ecosystem, config.file, missing);
}

/** The program's pm2 app. */
export function pm2AppOf(config: SupervisorConfig, name: string): Pm2App {
  const app = readApps(config).find((a) => a.name === name);
  if (!app) throw processManagerErrors.ecosystemStale(config.ecosystem, config.file, [name]);
  return app;
}
