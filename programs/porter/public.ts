/**
 * What the porter recipe may use of Porter: the route and settings model it validates options
 * against, the renderer and page set it installs with, and where bin/porter's program is. The
 * program itself (cli.ts, commands.ts, apply.ts, lock.ts) stays private to this folder.
 */
import * as path from 'node:path';

export type { Problem } from '../../src/errors/factories/porter-problems';
export { checkAddress, checkDomain, parseRouteLine, POOL_NAME, type Pool, type Route } from './routes';
export { reservedNames, type DeveloperAccess, type FrontSite, type PorterSettings } from './settings';
export { effectiveRoutes, takenDomain, type EffectiveRoute, type Overlay } from './table';
export { readOverlay } from './files';
export { MAINTENANCE_PAGE, PAGE_FILES } from './pages';
export { includeDirective, renderNginx } from './render-nginx';
export { maintenanceLines } from './maintenance';
export { resolveHosts } from './resolve';
export { checkCertificateFiles } from './certificate-check';
export { defaultPair, selfSignedArgv, selfSignedPair, type CertificatePair } from './tls';

/**
 * bin/porter's program, from Zetaserver's install root (`ctx.paths.zetaserver()`): the caller may
 * run from the CLI bundle, where __dirname is not this folder.
 */
export function porterProgram(installRoot: string): string {
  return path.join(installRoot, 'dist', 'programs', 'porter', 'cli.js');
}
