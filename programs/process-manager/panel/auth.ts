/**
 * The panel's protection. A login form checks the supervisor user and password (compared in
 * constant time; a failure costs a delay) and opens a session: a random token in an HttpOnly,
 * SameSite=Strict cookie. Every state-changing request must also carry the session's CSRF token
 * in a header, come from the panel's own origin (Origin / Sec-Fetch-Site), and name the panel's
 * own host (a DNS-rebinding page cannot).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { panelUrl } from '../config';

const SESSION_MS = 12 * 3600 * 1000;
export const COOKIE = 'zs_session';

interface Session {
  csrf: string;
  expires: number;
}

function same(a: string, b: string): boolean {
  const digest = (s: string): Buffer => createHash('sha256').update(s).digest();
  return timingSafeEqual(digest(a), digest(b));
}

export class PanelAuth {
  private readonly sessions = new Map<string, Session>();
  readonly origin: string;

  constructor(private readonly panel: { host: string; port: number; user: string; password: string; tls?: object }) {
    this.origin = panelUrl(panel).replace(/\/$/, '');
  }

  /** Checks the credentials; a session token and its CSRF token when they match. */
  async login(user: string, password: string): Promise<string | undefined> {
    const ok = same(user, this.panel.user) && same(password, this.panel.password);
    if (!ok) {
      await new Promise((r) => setTimeout(r, 400));
      return undefined;
    }
    const token = randomBytes(32).toString('hex');
    this.sessions.set(token, { csrf: randomBytes(24).toString('hex'), expires: Date.now() + SESSION_MS });
    return token;
  }

  logout(req: IncomingMessage): void {
    const token = this.token(req);
    if (token) this.sessions.delete(token);
  }

  private token(req: IncomingMessage): string | undefined {
    const cookies = (req.headers.cookie ?? '').split(';').map((c) => c.trim().split('='));
    return cookies.find(([name]) => name === COOKIE)?.[1];
  }

  session(req: IncomingMessage): Session | undefined {
    const token = this.token(req);
    const session = token ? this.sessions.get(token) : undefined;
    if (!session || session.expires < Date.now()) return undefined;
    return session;
  }

  /** The Host header names the panel itself (no DNS rebinding). */
  hostAllowed(req: IncomingMessage): boolean {
    return req.headers.host === new URL(this.origin).host;
  }

  /** A cross-site request is refused even before the CSRF token is looked at. */
  sameOrigin(req: IncomingMessage): boolean {
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    if (origin !== undefined && origin !== this.origin) return false;
    return site === undefined || site === 'same-origin' || site === 'none';
  }

  /** A state-changing API call: session, same origin, and the session's CSRF token. */
  mayChange(req: IncomingMessage): boolean {
    const session = this.session(req);
    const header = req.headers['x-csrf-token'];
    return !!session && this.sameOrigin(req) && typeof header === 'string' && same(header, session.csrf);
  }

  cookie(token: string): string {
    const secure = this.panel.tls ? ' Secure;' : '';
    return `${COOKIE}=${token}; HttpOnly;${secure} SameSite=Strict; Path=/; Max-Age=${SESSION_MS / 1000}`;
  }
}
