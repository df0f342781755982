/** `nodeset status [--json]`: every node's release and programs, haproxy's view; non-zero when anything is down. */
import { nodesetStatus } from '../../nodeset/deploy/status';
import type { NodesetSubcommand } from '../nodeset';
import { deployHooks, deploySettings } from './deploy-settings';

export const statusCommand: NodesetSubcommand = async (loaded, request) => {
  const settings = deploySettings(loaded, request);
  const status = await nodesetStatus(loaded.nodeset, {
    settings,
    hooks: deployHooks(loaded, settings),
    statusCommand: 'bin/supervisorctl status',
  });
  if (request.args.flags.has('--json')) request.write(`${JSON.stringify(status, null, 2)}\n`);
  else {
    const lines = status.nodes.flatMap((n) => [
      `${n.node}: ${n.state}${n.release ? ` at ${n.release}` : ''}`,
      ...n.programs.map((p) => `    ${p}`),
    ]);
    if (status.haproxy.length) lines.push("haproxy's view:", ...status.haproxy.map((l) => `    ${l}`));
    request.write(`nodeset ${loaded.nodeset.name}: status\n${lines.join('\n')}\n`);
  }
  return status.status;
};
