/**
 * The other nodes' agents (the supervisor part's `peers`): their status read over HTTP with the
 * shared bearer token, for the panel's nodes view and `supervisorctl status --all-nodes`. A peer
 * that does not answer within one sampling interval (or answers with an error) is shown down
 * with the reason, so an operator learns of a dead node at the next refresh, not after a TCP
 * timeout of minutes. An https peer is checked as any HTTPS client checks a server (chain and
 * address), against the agent's `peerCa` when it has one.
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { SupervisorConfig } from './config';

export interface NodeView {
  name: string;
  url: string | null;
  up: boolean;
  /** Why it is down. */
  reason: string | null;
  /** The node's role (its agent's `node-role`) and the release it runs, as it says. */
  role?: string | null;
  release?: string | null;
  programs: Array<Record<string, unknown>>;
  pools: Array<Record<string, unknown>>;
}

/** GET url with the token; the parsed JSON, or a rejection naming why. */
function getJson(url: string, token: string, timeoutMs: number, ca?: Buffer): Promise<any> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const client = target.protocol === 'https:' ? https : http;
    const options = { headers: { authorization: `Bearer ${token}` }, ...(ca ? { ca } : {}) };
    const req = client.get(target, options, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        clearTimeout(timer);
        if (res.statusCode !== 200) return reject(new Error(`HTTP ${res.statusCode}: ${body.trim().slice(0, 200)}`));
        try {
          resolve(JSON.parse(body));
        } catch {
          reject(new Error('the answer is not JSON'));
        }
      });
    });
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** One peer's view: its programs, or down with the reason. */
export async function peerView(
  peer: { name: string; url: string },
  token: string,
  timeoutMs: number,
  ca?: Buffer,
): Promise<NodeView> {
  try {
    const status = await getJson(`${peer.url}/api/status`, token, timeoutMs, ca);
    return {
      name: peer.name,
      url: peer.url,
      up: true,
      reason: null,
      role: status.role ?? null,
      release: status.release ?? null,
      programs: status.programs,
      pools: status.pools ?? [],
    };
  } catch (error) {
    return { name: peer.name, url: peer.url, up: false, reason: (error as Error).message, programs: [], pools: [] };
  }
}

/** Every peer's view, asked at once, each bounded by the sampling interval. */
export function peerViews(config: SupervisorConfig, token: string | undefined): Promise<NodeView[]> {
  const peers = config.agent?.peers ?? [];
  // three quarters of the interval: the answer, the slowest peer included, is in before the next sample
  const timeoutMs = Math.max(500, Math.round(Math.min(config.monitor.intervalMs, 5000) * 0.75));
  if (!token)
    return Promise.resolve(
      peers.map((p) => ({ ...p, up: false, reason: 'this tree has no agent token', programs: [], pools: [] })),
    );
  let ca: Buffer | undefined;
  try {
    ca = config.agent?.peerCa ? readFileSync(config.agent.peerCa) : undefined;
  } catch (error) {
    const reason = `the peers' CA ${config.agent?.peerCa} cannot be read: ${(error as Error).message}`;
    return Promise.resolve(peers.map((p) => ({ ...p, up: false, reason, programs: [], pools: [] })));
  }
  return Promise.all(peers.map((peer) => peerView(peer, token, timeoutMs, ca)));
}
