/**
 * `nodeset assemble NODE [--target DIR] [--shared DIR] [--plan [--json]]`: one node's tree,
 * built here (default `<controlDir>/build/<node>/`, for inspection) or at the release directory
 * a deploy runs it in; `--plan` prints what install would do, changing nothing.
 */
import type { NodesetSubcommand } from '../nodeset';
import { nodeNamed } from '../../nodeset/load';
import { assembleNode, defaultTarget } from '../../nodeset/assemble-node';
import { buildReport, formatPlan } from '../plan';
import { reportInstall } from '../install';
import { paletteForTerminal } from '../../util/color';

export const assembleCommand: NodesetSubcommand = async ({ nodeset, config }, request) => {
  const { args, logger, downloads, warn, write } = request;
  const node = nodeNamed(nodeset, args.node!);
  const plan = args.flags.has('--plan');
  const target = args.flags.get('--target') ?? defaultTarget(nodeset, node);
  const assembly = await assembleNode(nodeset, node, {
    command: plan ? 'plan' : 'install',
    parts: [],
    target,
    deployRoot: nodeset.deployRoot,
    shared: args.flags.get('--shared'),
    config,
    logger,
    downloads,
    warn,
  });
  if (plan) {
    const report = buildReport(assembly);
    write(
      `${args.flags.has('--json') ? JSON.stringify(report, null, 2) : formatPlan(report, paletteForTerminal(request.color), request.verbosity > 0)}\n`,
    );
    return 0;
  }
  reportInstall(assembly, logger);
  logger.info(`${node.name}: its tree is in ${target}`);
  return 0;
};
