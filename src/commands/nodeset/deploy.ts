/**
 * `nodeset deploy` and `nodeset rollback`: the rolling deploy (or the step back) on Ansible, a
 * summary line per node, and the exit status: 0 done, 1 a step failed on a node
 * (NODESET_DEPLOY_FAILED), 3 a node was unreachable (NODESET_UNREACHABLE); a configuration that
 * does not load exits 2 before anything runs.
 */
import * as path from 'node:path';
import { deploy } from '../../nodeset/deploy/deploy';
import { rollback } from '../../nodeset/deploy/rollback';
import { summary, type DeployReport } from '../../nodeset/deploy/outcome';
import { displayPath } from '../../util/paths';
import { nodesetErrors } from '../../errors/factories/nodeset';
import type { NodesetRequest, NodesetSubcommand } from '../nodeset';
import { deployHooks, deploySettings } from './deploy-settings';

/** The summary (or the report as JSON); a run that did not finish ends with its catalogue error. */
function print(report: DeployReport, request: NodesetRequest, what: string): number {
  if (request.args.flags.has('--json')) request.write(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const head = report.release ? `${what} ${report.release}` : what;
    request.write(`${head}\n${summary(report).join('\n')}\n`);
  }
  if (report.status === 0) return 0;
  const stopped = report.nodes.filter((n) => n.state === 'failed' || n.state === 'unreachable');
  const back = report.nodes.filter((n) => n.state === 'rolled back').map((n) => n.node);
  throw nodesetErrors.rolloutStopped(what, stopped, back);
}

export const deployCommand: NodesetSubcommand = async (loaded, request) => {
  const settings = deploySettings(loaded, request);
  const log = (line: string): void => request.logger.info(`ansible: ${line}`);
  const report = await deploy(loaded.nodeset, {
    settings,
    source: path.dirname(loaded.nodeset.file),
    hooks: deployHooks(loaded, settings),
    run: { log },
  });
  request.logger.info(`playbooks and inventory: ${displayPath(path.join(loaded.nodeset.controlDir, 'ansible'))}`);
  return print(report, request, `nodeset ${loaded.nodeset.name}: deploy`);
};

export const rollbackCommand: NodesetSubcommand = async (loaded, request) => {
  const settings = deploySettings(loaded, request);
  const report = await rollback(loaded.nodeset, {
    settings,
    hooks: deployHooks(loaded, settings),
    run: { log: (line) => request.logger.info(`ansible: ${line}`) },
  });
  return print(report, request, `nodeset ${loaded.nodeset.name}: rollback`);
};
