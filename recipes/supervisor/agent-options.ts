/**
 * The agent's options: the token that guards its machine-readable endpoints (/metrics, the
 * history, logs and status APIs that peers and Prometheus read), the name of this node, and its
 * peers (the agents of the other nodes, whose programs its panel and `status --all-nodes` show).
 *
 * `agent-token` defaults to an HMAC of the panel password and the deployment's place, so it is
 * made at assembly without randomness (a random one would change the plan at every run) and
 * says nothing about the password. Nodes that read each other must share one: give them the
 * same `agent-token = ${passwords:agent}`.
 */
import { createHmac } from 'node:crypto';
import * as path from 'node:path';
import type { OptionsContext } from '../../src/recipe';

export interface AgentOptions {
  tokenFile: string;
  token: string;
  node: string;
  peers: Array<{ name: string; url: string }>;
}

const MIN_TOKEN = 16;

function peers(ctx: OptionsContext): Array<{ name: string; url: string }> {
  return ctx.options.lines('peers').map((line) => {
    const m = /^([A-Za-z0-9_.-]+)\s*=\s*(https?:\/\/[^\s/]+\/?)$/.exec(line);
    if (!m)
      throw ctx.error(
        'peers',
        `peers line ${JSON.stringify(line)} is not "name=url"`,
        'one line per other node: the name shown for it and its agent (panel) address, e.g. ' +
          'node2=http://10.0.0.2:9001/',
      );
    return { name: m[1], url: m[2].replace(/\/$/, '') };
  });
}

export function agentOptions(
  ctx: OptionsContext,
  location: string,
  panel: { host: string; port: number; password: string },
): AgentOptions {
  const given = ctx.options.get('agent-token')?.trim();
  if (given !== undefined && given.length < MIN_TOKEN)
    throw ctx.error(
      'agent-token',
      `agent-token is ${given.length} characters long, fewer than ${MIN_TOKEN}`,
      'give a long random value, e.g. agent-token = ${passwords:agent}, the same on every node.',
    );
  const token =
    given ??
    createHmac('sha256', panel.password)
      .update(`zetaserver agent token\0${ctx.paths.directory}\0${ctx.name}`)
      .digest('hex');
  if (given === undefined) ctx.set('agent-token', token);
  const host = panel.host.includes(':') ? `[${panel.host}]` : panel.host;
  const node = ctx.options.get('node')?.trim() || `${host}:${panel.port}`;
  return { tokenFile: path.join(location, 'agent-token'), token, node, peers: peers(ctx) };
}
