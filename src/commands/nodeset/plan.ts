/** `nodeset plan [--json]`: per node, the release it runs, the one a deploy would give it, and its tree's plan. */
import * as path from 'node:path';
import { planDeploy } from '../../nodeset/deploy/plan';
import type { NodesetSubcommand } from '../nodeset';
import { deployHooks, deploySettings } from './deploy-settings';
import { planText } from './plan-text';
import { paletteForTerminal } from '../../util/color';

export const planCommand: NodesetSubcommand = async (loaded, request) => {
  const settings = deploySettings(loaded, request);
  const plan = await planDeploy(loaded.nodeset, {
    settings,
    source: path.dirname(loaded.nodeset.file),
    hooks: deployHooks(loaded, settings),
  });
  if (request.args.flags.has('--json')) request.write(`${JSON.stringify(plan, null, 2)}\n`);
  else {
    const text = planText(plan, paletteForTerminal(request.color), request.verbosity > 0);
    request.write(
      `nodeset ${loaded.nodeset.name}: plan${plan.release ? ` ${plan.release}` : ''}\n${text.join('\n')}\n`,
    );
  }
  return plan.status;
};
