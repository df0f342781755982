/** `nodeset status [--json]`: every node's release and programs, haproxy's view; non-zero when anything is down. */
import { nodesetStatus } from '../../nodeset/deploy/status';
import type { NodesetSubcommand } from '../nodeset';
import { deployHooks, deploySettings } from './deploy-settings';
import { statusTable } from '../../nodeset/deploy/status-table';

export const statusCommand: NodesetSubcommand = async (loaded, request) => {
  const settings = deploySettings(loaded, request);
  const status = await nodesetStatus(loaded.nodeset, {
    settings,
    hooks: deployHooks(loaded, settings),
    statusCommand: 'bin/supervisorctl status --json',
  });
  if (request.args.flags.has('--json')) request.write(`${JSON.stringify(status, null, 2)}\n`);
  else request.write(`nodeset ${loaded.nodeset.name}: status\n${statusTable(status).join('\n')}\n`);
  return status.status;
};
