/** `nodeset plan [--json]`: per node, the release it runs and the one a deploy would give it. */
import * as path from 'node:path';
import { planDeploy } from '../../nodeset/deploy/plan';
import type { NodesetSubcommand } from '../nodeset';
import { deployHooks, deploySettings } from './deploy-settings';

export const planCommand: NodesetSubcommand = async (loaded, request) => {
  const settings = deploySettings(loaded, request);
  const plan = await planDeploy(loaded.nodeset, {
    settings,
    source: path.dirname(loaded.nodeset.file),
    hooks: deployHooks(loaded, settings),
  });
  if (request.args.flags.has('--json')) request.write(`${JSON.stringify(plan, null, 2)}\n`);
  else
    request.write(
      `nodeset ${loaded.nodeset.name}: plan${plan.release ? ` ${plan.release}` : ''}\n${plan.lines.join('\n')}\n`,
    );
  return plan.status;
};
