/**
 * The agent's read-only endpoints, for a logged-in panel session or a bearer token
 * (agent-token.ts): tools and peer agents read the same data the panel draws.
 *
 *     GET /metrics                          Prometheus text format (metrics.ts)
 *     GET /api/history?program=&since=      capped, time-ordered samples and events
 *     GET /api/logs?program=&since=&grep=   log lines of current and rotated files (log-search.ts)
 *     GET /api/status                       every program's status, and the pools (least-loaded.ts)
 *     GET /api/nodes[?peers=only]           this node's status and its peers' (peers.ts)
 *
 * `program` may be repeated or left out (every program); `since` is ms since the epoch or
 * 10m/2h/1d; a history answer's `until` is the newest sample's time, to pass as the next `since`.
 */
import type { IncomingMessage } from 'node:http';
import type { Runtime } from '../runtime';
import type { Program } from '../config';
import { collectStatus } from '../status';
import { renderMetrics } from '../metrics';
import { searchLogs } from '../log-search';
import { parseSince } from '../since';
import { leastLoaded } from '../least-loaded';
import { allNodeViews } from '../nodes-view';
import { nodeNameOf, releaseOf } from '../config';
import { Refusal } from './request-path';

const MAX_LOG_LINES = 500;

export type Reply = (status: number, body: string, type: string) => void;

function programsOf(rt: Runtime, url: URL): Program[] {
  const names = url.searchParams.getAll('program').filter(Boolean);
  if (!names.length) return rt.config.programs;
  return names.map((name) => {
    const program = rt.config.programs.find((p) => p.name === name);
    if (!program) throw new Refusal(404, `no program named ${JSON.stringify(name)}`);
    return program;
  });
}

function sinceOf(url: URL): number {
  const text = url.searchParams.get('since');
  if (text === null || text === '') return 0;
  const since = parseSince(text);
  if (since === undefined) throw new Refusal(400, `since=${JSON.stringify(text)} is not a time (ms, or 10m, 2h, 1d)`);
  return since;
}

function history(rt: Runtime, url: URL): unknown {
  const since = sinceOf(url);
  const services = rt.db.services();
  let until = since;
  const programs = programsOf(rt, url).map((p) => {
    const samples = rt.db.samplesSince(p.name, since);
    until = Math.max(until, samples.at(-1)?.ts ?? 0);
    const service = services.find((s) => s.name === p.name);
    return { name: p.name, service, samples, events: rt.db.eventsSince(p.name, since) };
  });
  const { intervalMs, maxSamples } = rt.config.monitor;
  return { node: nodeNameOf(rt.config), intervalMs, maxSamples, since, until, programs };
}

function logLines(rt: Runtime, url: URL): unknown {
  const text = url.searchParams.get('grep') ?? '';
  let grep: RegExp | undefined;
  try {
    grep = text ? new RegExp(text, 'i') : undefined;
  } catch (error) {
    throw new Refusal(400, `grep: ${(error as Error).message}`);
  }
  const since = url.searchParams.get('since') ? sinceOf(url) : undefined;
  const lines = searchLogs(programsOf(rt, url), rt.config.logs.backups, { since, grep, limit: MAX_LOG_LINES });
  return { node: nodeNameOf(rt.config), limit: MAX_LOG_LINES, lines };
}

/** Answers the request when it is one of these endpoints; false when it is not. */
export async function readApi(
  rt: Runtime,
  req: IncomingMessage,
  url: URL,
  reply: Reply,
  token: string | undefined,
): Promise<boolean> {
  if (req.method !== 'GET') return false;
  const json = (value: unknown): void => reply(200, JSON.stringify(value), 'application/json');
  if (url.pathname === '/metrics') {
    const rows = await collectStatus(rt.config, await rt.pm2.list(), rt.db);
    reply(200, renderMetrics(nodeNameOf(rt.config), rows), 'text/plain; version=0.0.4; charset=utf-8');
  } else if (url.pathname === '/api/history') json(history(rt, url));
  else if (url.pathname === '/api/logs') json(logLines(rt, url));
  else if (url.pathname === '/api/status' || url.pathname === '/api/nodes') {
    const programs = await collectStatus(rt.config, await rt.pm2.list(), rt.db);
    const pools = await leastLoaded(rt.config, programs, rt.db);
    const identity = { role: rt.config.agent?.role ?? null, release: releaseOf(rt.config) };
    const here = {
      node: nodeNameOf(rt.config),
      ...identity,
      deployment: rt.config.directory,
      links: rt.config.links,
      programs,
      pools,
    };
    if (url.pathname === '/api/status') json({ ...here, time: Date.now() });
    else {
      const nodes = await allNodeViews(rt.config, token, programs, pools);
      json({ nodes: url.searchParams.get('peers') === 'only' ? nodes.slice(1) : nodes, time: Date.now() });
    }
  } else return false;
  return true;
}
