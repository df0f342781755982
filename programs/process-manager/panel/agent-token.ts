/**
 * The bearer token of the agent's machine-readable endpoints (/metrics, /api/history,
 * /api/logs, /api/status, /api/nodes): `Authorization: Bearer TOKEN`, the token read from the
 * 0600 file the supervisor recipe wrote. There is no exemption for loopback clients: on a shared
 * host every local user is a loopback client, and Prometheus and the peer agents can send the
 * header (Prometheus reads it from a file: docs/process-manager.md), so nothing needs one.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import type { SupervisorConfig } from '../config';

/** The token, or undefined when the tree has none (assembled before the agent had one). */
export function readAgentToken(config: SupervisorConfig): string | undefined {
  if (!config.agent) return undefined;
  try {
    return readFileSync(config.agent.tokenFile, 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}

export function bearerAllowed(req: IncomingMessage, token: string | undefined): boolean {
  const m = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '');
  if (!token || !m) return false;
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(m[1]), digest(token));
}
