/**
 * The control panel (the successor of supervisord's :9001), on node:http: bound to the
 * configured address only, behind the supervisor user and password (panel/auth.ts). It lists the
 * programs with live state, starts/stops/restarts them, shows log tails and each program's
 * history, and links to the pages named in the `links` option (HAProxy stats, nginx status).
 * Logins are rate-limited per client address and overall, and logged (login-limit.ts, login-log.ts).
 */
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import * as https from 'node:https';
import type { Runtime } from '../runtime';
import { lastLines } from '../log-tail';
import { PanelAuth } from './auth';
import { chartsJs, loginPage, panelCss, panelJs, panelPage, uplotFile } from './page';
import { programAction } from './actions';
import { decodeSegment, lineCount, Refusal, requestUrl } from './request-path';
import { LoginLimiter } from './login-limit';
import { LoginLog } from './login-log';
import { readApi } from './read-api';
import { bearerAllowed, readAgentToken } from './agent-token';

interface Gate {
  auth: PanelAuth;
  token: string | undefined;
  limiter: LoginLimiter;
  log: LoginLog;
}

const HEADERS = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  // not no-referrer: with it Chromium sends "Origin: null" on same-origin form posts
  'referrer-policy': 'same-origin',
  'cache-control': 'no-store',
};

function send(
  res: http.ServerResponse,
  status: number,
  body: string,
  type: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...HEADERS, 'content-type': type, ...extra }).end(body);
}

const json = (res: http.ServerResponse, status: number, value: unknown): void =>
  send(res, status, JSON.stringify(value), 'application/json');

function readBody(req: http.IncomingMessage, limit = 16 * 1024): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
      if (body.length > limit) {
        reject(new Refusal(413, 'request body too large'));
        req.destroy();
      }
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

/** POST /login: rate-limited before the password is looked at, every outcome logged. */
async function login(rt: Runtime, gate: Gate, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const html = 'text/html; charset=utf-8';
  if (!gate.auth.sameOrigin(req)) return send(res, 403, 'cross-site login refused\n', 'text/plain');
  const address = req.socket.remoteAddress ?? 'unknown';
  const admission = gate.limiter.admit(address);
  if (!admission.ok) {
    gate.log.refused(address, admission);
    const who = admission.scope === 'client' ? 'from your address' : 'from all clients';
    return send(
      res,
      429,
      loginPage(rt.config.part, `Too many login attempts ${who}: try again in ` + `${admission.retryAfterS} s.`),
      html,
      { 'retry-after': String(admission.retryAfterS) },
    );
  }
  const form = new URLSearchParams(await readBody(req));
  const user = form.get('user') ?? '';
  const token = await gate.auth.login(user, form.get('password') ?? '');
  if (!token) {
    gate.log.failed(address, user, gate.limiter.remaining(address));
    return send(res, 401, loginPage(rt.config.part, 'Wrong user or password.'), html);
  }
  gate.limiter.succeeded(address);
  gate.log.succeeded(address, user);
  return send(res, 303, '', 'text/plain', { location: '/', 'set-cookie': gate.auth.cookie(token) });
}

async function route(rt: Runtime, gate: Gate, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const { auth } = gate;
  if (!auth.hostAllowed(req)) return send(res, 421, 'wrong host\n', 'text/plain');
  const url = requestUrl(req.url, auth.origin);
  if (req.method === 'GET' && url.pathname === '/panel.js') return send(res, 200, panelJs(), 'text/javascript');
  if (req.method === 'GET' && url.pathname === '/panel.css') return send(res, 200, panelCss(), 'text/css');
  if (req.method === 'GET' && url.pathname === '/charts.js') return send(res, 200, chartsJs(), 'text/javascript');
  if (req.method === 'GET' && url.pathname === '/uplot.js')
    return send(res, 200, uplotFile('uPlot.iife.min.js'), 'text/javascript');
  if (req.method === 'GET' && url.pathname === '/uplot.css')
    return send(res, 200, uplotFile('uPlot.min.css'), 'text/css');
  if (url.pathname === '/login' && req.method === 'POST') return login(rt, gate, req, res);
  const session = auth.session(req);
  const reply = (status: number, body: string, type: string): void => send(res, status, body, type);
  // the read-only endpoints take a session or the agent's bearer token; nothing else does
  if ((session || bearerAllowed(req, gate.token)) && (await readApi(rt, req, url, reply, gate.token))) return;
  if (url.pathname === '/metrics') return send(res, 401, 'Authorization: Bearer TOKEN needed\n', 'text/plain');
  if (!session) {
    if (url.pathname.startsWith('/api/')) return json(res, 401, { error: 'log in first' });
    if (url.pathname === '/login' || url.pathname === '/')
      return send(res, 200, loginPage(rt.config.part), 'text/html; charset=utf-8');
    return send(res, 303, '', 'text/plain', { location: '/login' });
  }
  if (req.method === 'GET' && url.pathname === '/')
    return send(res, 200, panelPage(rt.config.part, session.csrf), 'text/html; charset=utf-8');
  if (req.method === 'POST' && url.pathname === '/logout') {
    if (!auth.mayChange(req)) return json(res, 403, { error: 'cross-site request refused' });
    auth.logout(req);
    return json(res, 200, { ok: true });
  }
  const m = /^\/api\/programs\/([^/]+)\/(start|stop|restart|log|history)$/.exec(url.pathname);
  const name = m && decodeSegment(m[1]);
  const program = name && rt.config.programs.find((p) => p.name === name);
  if (!m || !program) return json(res, 404, { error: 'no such program or page' });
  if (m[2] === 'log') {
    const file = url.searchParams.get('stream') === 'stderr' ? program.errLog : program.outLog;
    return json(res, 200, { file, lines: lastLines(file, lineCount(url.searchParams.get('lines'))) });
  }
  if (m[2] === 'history')
    return json(res, 200, { samples: rt.db.samples(program.name, 240), events: rt.db.events(program.name, 20) });
  if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
  if (!auth.mayChange(req)) return json(res, 403, { error: 'cross-site request refused (origin or CSRF token)' });
  const result = await programAction(rt, program, m[2] as 'start' | 'stop' | 'restart');
  return json(res, result.ok ? 200 : 409, result);
}

export function startPanel(rt: Runtime): Promise<http.Server> {
  const gate: Gate = {
    auth: new PanelAuth(rt.config.panel),
    token: readAgentToken(rt.config),
    limiter: new LoginLimiter(),
    log: new LoginLog((line) => rt.say(line)),
  };
  const handler = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    route(rt, gate, req, res).catch((error: Error) => {
      if (error instanceof Refusal) {
        if (!res.headersSent) json(res, error.status, { error: error.message });
        return;
      }
      rt.say(`panel: ${req.method} ${JSON.stringify(req.url?.slice(0, 200))}: ${error.message}`);
      if (!res.headersSent) json(res, 500, { error: error.message });
    });
  };
  const tls = rt.config.panel.tls;
  // with a certificate the token and the password never cross the network in the clear
  const server = tls
    ? https.createServer(
        { cert: readFileSync(tls.certificate), key: readFileSync(tls.key), minVersion: 'TLSv1.2' },
        handler,
      )
    : http.createServer(handler);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(rt.config.panel.port, rt.config.panel.host, () => resolve(server));
  });
}
