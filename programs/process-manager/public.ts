/**
 * What the supervisor recipe may use of the process manager: the format of the files it writes
 * (format.ts), where the two programs its launchers run are installed, and the runtime plan.
 */
import * as path from 'node:path';

export {
  DEFAULT_RESTART,
  FORMAT_VERSION,
  pm2App,
  type Pm2App,
  type ProgramEntry,
  type RestartPolicy,
  type SupervisorFile,
} from './format';

/**
 * bin/<name>d and bin/<name>ctl's programs, from Zetaserver's install root
 * (`ctx.paths.zetaserver()`): the caller may run from the CLI bundle, where __dirname is not here.
 */
export function processManagerPrograms(installRoot: string): { supervisord: string; supervisorctl: string } {
  const dir = path.join(installRoot, 'dist', 'programs', 'process-manager');
  return { supervisord: path.join(dir, 'supervisord.js'), supervisorctl: path.join(dir, 'supervisorctl.js') };
}

/** The runtime plan (what a change does to the running programs) and reading what runs now. */
export { planRuntime, runtimeReport, type PlannedChange, type RunningState, type RuntimePlan } from './runtime-plan';
export { configHashes, readRunningState } from './runtime-state';
export { throughLinkText, treeFile } from './tree-file';
export { checkReachable } from './reachable';
export { describeChange } from './update-lines';
