/**
 * The agent's options: the token that guards its machine-readable endpoints (/metrics, the
 * history, logs and status APIs that peers and Prometheus read), the name of this node, and its
 * peers (the agents of the other nodes, whose programs its panel and `status --all-nodes` show).
 *
 * `agent-token` defaults to an HMAC of the panel password and the deployment's place, so it is
 * made at assembly without randomness (a random one would change the plan at every run) and
 * says nothing about the password. Nodes that read each other must share one: give them the
 * same `agent-token = ${passwords:agent}`.
 *
 * Across hosts the token must not travel in the clear: `tls-certificate` and `tls-key` make the
 * panel serve HTTPS, and `peer-ca` is what the peers' certificates are checked against (their
 * https:// URLs are verified as any HTTPS client would: chain and address).
 */
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { OptionsContext } from '../../src/recipe';

export interface AgentOptions {
  tokenFile: string;
  token: string;
  node: string;
  role?: string;
  peers: Array<{ name: string; url: string }>;
  tls?: { certificate: string; key: string };
  peerCa?: string;
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

/** An absolute PEM file that exists (read by the agent at its start, so a missing one is said now). */
function pemFile(ctx: OptionsContext, option: string): string | undefined {
  const given = ctx.options.get(option)?.trim();
  if (!given) return undefined;
  const file = path.resolve(ctx.paths.directory, given);
  if (!existsSync(file))
    throw ctx.error(option, `${option} names ${file}, which does not exist`, 'name a PEM file on this machine.');
  return file;
}

function tlsOptions(ctx: OptionsContext): { certificate: string; key: string } | undefined {
  const certificate = pemFile(ctx, 'tls-certificate');
  const key = pemFile(ctx, 'tls-key');
  if (!certificate !== !key)
    throw ctx.error(
      certificate ? 'tls-key' : 'tls-certificate',
      'tls-certificate and tls-key go together',
      'give both (the panel then serves HTTPS) or neither.',
    );
  return certificate && key ? { certificate, key } : undefined;
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
  const tls = tlsOptions(ctx);
  const peerCa = pemFile(ctx, 'peer-ca');
  const role = ctx.options.get('node-role')?.trim() || undefined;
  return {
    tokenFile: path.join(location, 'agent-token'),
    token,
    node,
    ...(role ? { role } : {}),
    peers: peers(ctx),
    ...(tls ? { tls } : {}),
    ...(peerCa ? { peerCa } : {}),
  };
}
