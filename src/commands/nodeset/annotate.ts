/**
 * `nodeset annotate NODE [--json] [SECTION...]`: the configuration as NODE's tree sees it, every
 * value with its history; the node's own values show as command-line assignments (what
 * `nodeset assemble` lays over the file for that node).
 */
import type { NodesetSubcommand } from '../nodeset';
import { nodeNamed } from '../../nodeset/load';
import { defaultTarget } from '../../nodeset/assemble-node';
import { nodeAssignments } from '../../nodeset/node-assignments';
import { ensureAgentTls } from '../../nodeset/agent-tls';
import { loadForInspection } from '../../parts/inspect';
import { annotateJson, annotateText } from '../annotate';
import { paletteForTerminal } from '../../util/color';

export const annotateNode: NodesetSubcommand = async ({ nodeset, config }, request) => {
  const { args, write, downloads } = request;
  const node = nodeNamed(nodeset, args.node!);
  const assignments = [
    ...nodeset.overrides,
    ...nodeAssignments(nodeset, config.resolver, node, defaultTarget(nodeset, node), ensureAgentTls(nodeset)),
  ];
  const inspected = await loadForInspection({ file: nodeset.file, assignments, downloads });
  if (request.verbosity > 0)
    for (const [part, error] of inspected.skipped)
      request.warn(error.while(`inspecting part [${part}] of ${node.short}: its derived options are missing`));
  write(
    args.flags.has('--json')
      ? annotateJson(inspected, args.rest)
      : annotateText(inspected, paletteForTerminal(request.color), request.verbosity > 0, args.rest),
  );
  return 0;
};
