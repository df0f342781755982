/**
 * The factories of bin/assemble's errors, one per problem, so the wording of each lives in one
 * place (src/errors/factories/); the codes, their exit statuses and default hints are the
 * catalogue's (src/errors/catalogue/). The programs import their own factories directly.
 */
export { errors } from './factories/config';
export { engineErrors } from './factories/engine';
export { installErrors, type ProgramAddress } from './factories/install';
export { downloadErrors, type ChecksumMismatch } from './factories/download';
export { cliErrors } from './factories/cli';
export { nodesetErrors, type NodesetPlace } from './factories/nodeset';
export { quoted, shortName, type Where } from './factories/text';
