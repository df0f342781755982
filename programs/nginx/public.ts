/**
 * What recipes and Porter may use of the nginx plumbing: where a self-contained nginx keeps its
 * files and the argv that runs it (layout.ts), and how a running master is checked, reloaded and
 * watched (control.ts).
 */
export {
  foregroundCommand,
  layoutDirectives,
  layoutDirectories,
  nginxLayout,
  nginxString,
  testCommand,
  TEMP_PATHS,
  type NginxLayout,
} from './layout';
export { checkConfig, reloadMaster, runningMaster, stillAccepting, workerPids, type ConfigCheck } from './control';
