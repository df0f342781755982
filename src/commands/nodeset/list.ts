/** `nodeset list [--json]`: the nodes with their roles, kinds, addresses and parts. */
import { displayPath } from '../../util/paths';
import type { NodesetSubcommand } from '../nodeset';

function table(rows: string[][]): string {
  const widths = rows[0].map((_, column) => Math.max(...rows.map((row) => row[column].length)));
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  '))
    .join('\n');
}

export const list: NodesetSubcommand = async ({ nodeset }, { args, write }) => {
  if (args.flags.has('--json')) {
    write(`${JSON.stringify(nodeset, null, 2)}\n`);
    return 0;
  }
  const rows = [['node', 'short', 'role', 'kind', 'address', 'parts']];
  for (const node of nodeset.nodes)
    rows.push([node.name, node.short, node.role, node.kind, node.address, node.parts.join(' ')]);
  const lines = [
    `nodeset ${nodeset.name} (${displayPath(nodeset.file)}): ${nodeset.nodes.length} nodes, deploy root ${nodeset.deployRoot}`,
    table(rows),
    `on every node: ${nodeset.commonParts.join(' ') || '(no other part)'}`,
  ];
  write(`${lines.join('\n')}\n`);
  return 0;
};
