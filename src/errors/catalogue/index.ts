/**
 * The catalogue: every code a user can see, defined once, with its exit status, its meaning and
 * a default hint. The wording of each message is in its factory (src/errors/factories/); this is
 * the data docs/errors.md is generated from (scripts/errors-doc.js). A code belongs to one area.
 */
import { cliCodes } from './cli';
import { configCodes } from './config';
import { downloadCodes } from './download';
import { engineCodes } from './engine';
import { nodesetCodes } from './nodeset';
import { porterCodes } from './porter';
import { processManagerCodes } from './process-manager';
import type { CodeEntry } from './status';

export { BUG_STATUS, EXIT, STATUS_MEANINGS, type CodeEntry, type ExitStatus } from './status';

/** The areas in the order docs/errors.md lists them. */
export const AREAS: ReadonlyArray<{ title: string; programs: string; codes: Readonly<Record<string, CodeEntry>> }> = [
  { title: 'Command lines', programs: 'every program', codes: cliCodes },
  { title: 'Configuration', programs: 'bin/assemble', codes: configCodes },
  { title: 'Parts, plan and install', programs: 'bin/assemble', codes: engineCodes },
  { title: 'Downloads', programs: 'bin/assemble', codes: downloadCodes },
  { title: 'Nodesets', programs: 'bin/assemble nodeset', codes: nodesetCodes },
  { title: 'Process manager', programs: 'bin/supervisord, bin/supervisorctl', codes: processManagerCodes },
  { title: 'Porter', programs: 'bin/porter', codes: porterCodes },
];

export const catalogue = {
  ...cliCodes,
  ...configCodes,
  ...engineCodes,
  ...downloadCodes,
  ...nodesetCodes,
  ...processManagerCodes,
  ...porterCodes,
};

/** Every code a ZetaError can have. */
export type ErrorCode = keyof typeof catalogue;
