/**
 * `nodeset ssh-config`: an ssh_config block per node (`Host app1 app1.zeta.test`), to append to
 * ~/.ssh/config or to pass with `ssh -F`: `ssh app1` then reaches the node as the deployer.
 */
import type { NodesetSubcommand } from '../nodeset';

export const sshConfig: NodesetSubcommand = async ({ nodeset }, { write }) => {
  const blocks = nodeset.nodes.map((node) => {
    const names = node.short === node.name ? node.name : `${node.short} ${node.name}`;
    const lines = [`Host ${names}`, `    HostName ${node.address}`, `    User ${nodeset.sshUser}`];
    // with a key of its own, ssh must not offer the agent's keys first (servers count failures)
    if (nodeset.sshKey) lines.push(`    IdentityFile ${nodeset.sshKey}`, '    IdentitiesOnly yes');
    return lines.join('\n');
  });
  write(`# nodeset ${nodeset.name}\n${blocks.join('\n\n')}\n`);
  return 0;
};
