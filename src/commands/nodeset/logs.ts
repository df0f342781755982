/**
 * `nodeset logs [PROGRAM...] [--since 1h] [--grep RE] [--node N,...] [--json]`: every node's
 * program logs merged by time, each line with its node, program and time. `--since` defaults to
 * an hour: a node's whole logs can be large, and they travel over ssh.
 */
import type { NodesetSubcommand } from '../nodeset';
import { nodeNamed } from '../../nodeset/load';
import { nodesetLogs, type NodeLogLine } from '../../nodeset/deploy/logs';
import { deployHooks, deploySettings } from './deploy-settings';

const DEFAULT_SINCE = '1h';

function localTime(ts: number): string {
  return new Date(ts - new Date(ts).getTimezoneOffset() * 60_000).toISOString().slice(0, 19);
}

function formatLines(lines: NodeLogLine[]): string[] {
  const node = Math.max(0, ...lines.map((l) => l.node.length));
  const program = Math.max(0, ...lines.map((l) => l.program.length));
  return lines.map(
    (l) =>
      `${localTime(l.ts)} ${l.node.padEnd(node)} ${l.program.padEnd(program)}${l.stream === 'stderr' ? ' (stderr)' : ''} ${l.text}`,
  );
}

export const logsCommand: NodesetSubcommand = async (loaded, request) => {
  const settings = deploySettings(loaded, request);
  const { flags, rest } = request.args;
  const named = (flags.get('--node') ?? '').split(',').filter(Boolean);
  const nodes = named.length ? named.map((name) => nodeNamed(loaded.nodeset, name)) : loaded.nodeset.nodes;
  const logs = await nodesetLogs(loaded.nodeset, nodes, {
    settings,
    hooks: deployHooks(loaded, settings),
    logsCommand: 'bin/supervisorctl',
    query: { programs: rest, since: flags.get('--since') ?? DEFAULT_SINCE, grep: flags.get('--grep') },
  });
  if (flags.has('--json')) request.write(`${JSON.stringify(logs, null, 2)}\n`);
  else {
    const lines = [...formatLines(logs.lines), ...logs.problems.map((p) => `${p.node}: logs not read: ${p.reason}`)];
    if (lines.length) request.write(`${lines.join('\n')}\n`);
  }
  return logs.status;
};
