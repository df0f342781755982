/**
 * What the agent's log says about logins: every failed attempt (time, client address, the user
 * name tried, quoted and cut to 64 characters; never the password), every successful one, and
 * attempts refused by the rate limit, at most one line per address every 10 s with how many
 * were refused, so a flood of guesses cannot flood the log.
 */
import type { Admission } from './login-limit';

const REFUSALS_EVERY_MS = 10_000;

function quoted(user: string): string {
  return JSON.stringify(user.slice(0, 64));
}

export class LoginLog {
  private readonly refusals = new Map<string, { count: number; loggedAt: number }>();

  constructor(
    private readonly say: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {}

  failed(address: string, user: string, remaining: number): void {
    this.say(
      `panel: ${new Date(this.now()).toISOString()} failed login from ${address} as ${quoted(user)} ` +
        `(${remaining} more attempt(s) from this address before it must wait)`,
    );
  }

  succeeded(address: string, user: string): void {
    this.say(`panel: ${new Date(this.now()).toISOString()} login from ${address} as ${quoted(user)}`);
  }

  refused(address: string, admission: Extract<Admission, { ok: false }>): void {
    const now = this.now();
    const entry = this.refusals.get(address) ?? { count: 0, loggedAt: 0 };
    entry.count += 1;
    this.refusals.set(address, entry);
    if (now - entry.loggedAt < REFUSALS_EVERY_MS) return;
    const why =
      admission.scope === 'client'
        ? 'too many attempts from this address'
        : 'too many attempts from all ' + 'clients together';
    this.say(
      `panel: ${new Date(now).toISOString()} refused ${entry.count} login attempt(s) from ${address} ` +
        `without checking them: ${why}; retry after ${admission.retryAfterS} s`,
    );
    this.refusals.set(address, { count: 0, loggedAt: now });
    if (this.refusals.size > 10_000) this.refusals.delete(this.refusals.keys().next().value!);
  }
}
