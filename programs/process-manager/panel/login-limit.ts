/**
 * How often the panel checks a password: token buckets, one per client address and one for all
 * clients together. An attempt takes a token from both before the password is looked at (so a
 * burst of parallel guesses cannot slip through while the first ones are being checked), and a
 * refused attempt is answered 429 with Retry-After without checking anything (so the limit is
 * no oracle: the right password is refused too while an address is limited). A successful login
 * gives its tokens back, refills its address, and exempts that address from the overall bucket
 * for the agent's lifetime: a distributed guesser can exhaust the overall bucket, but not lock
 * out an operator who has logged in before. One guessing address uses at most its own bucket of
 * the overall one, so it never slows anyone else down.
 */

interface Bucket {
  tokens: number;
  at: number;
}

export interface Limit {
  /** Attempts allowed at once. */
  capacity: number;
  /** One attempt more per this many milliseconds. */
  refillMs: number;
}

/** 5 attempts per address, then one every 12 s; 30 for everyone, then one every 2 s. */
export const LOGIN_LIMITS = { perClient: { capacity: 5, refillMs: 12_000 }, overall: { capacity: 30, refillMs: 2000 } };

/** Addresses tracked at most (the oldest, usually refilled long ago, go first). */
const MAX_CLIENTS = 10_000;

function refill(bucket: Bucket, limit: Limit, now: number): void {
  bucket.tokens = Math.min(limit.capacity, bucket.tokens + (now - bucket.at) / limit.refillMs);
  bucket.at = now;
}

function waitMs(bucket: Bucket, limit: Limit): number {
  return Math.max(0, (1 - bucket.tokens) * limit.refillMs);
}

export type Admission = { ok: true } | { ok: false; retryAfterS: number; scope: 'client' | 'overall' };

export class LoginLimiter {
  private readonly clients = new Map<string, Bucket>();
  private readonly overall: Bucket;
  private readonly trusted = new Set<string>();

  constructor(
    private readonly limits = LOGIN_LIMITS,
    private readonly now: () => number = Date.now,
  ) {
    this.overall = { tokens: limits.overall.capacity, at: now() };
  }

  private client(address: string): Bucket {
    let bucket = this.clients.get(address);
    if (!bucket) {
      if (this.clients.size >= MAX_CLIENTS) this.clients.delete(this.clients.keys().next().value!);
      bucket = { tokens: this.limits.perClient.capacity, at: this.now() };
      this.clients.set(address, bucket);
    }
    return bucket;
  }

  /** Before checking a password: takes a token for the address (and the overall one), or says how long to wait. */
  admit(address: string): Admission {
    const now = this.now();
    const client = this.client(address);
    refill(client, this.limits.perClient, now);
    if (client.tokens < 1)
      return { ok: false, retryAfterS: Math.ceil(waitMs(client, this.limits.perClient) / 1000), scope: 'client' };
    const exempt = this.trusted.has(address);
    if (!exempt) {
      refill(this.overall, this.limits.overall, now);
      if (this.overall.tokens < 1)
        return {
          ok: false,
          retryAfterS: Math.ceil(waitMs(this.overall, this.limits.overall) / 1000),
          scope: 'overall',
        };
      this.overall.tokens -= 1;
    }
    client.tokens -= 1;
    return { ok: true };
  }

  /** The password was right: the attempt costs nothing, and the address is trusted from now on. */
  succeeded(address: string): void {
    if (!this.trusted.has(address))
      this.overall.tokens = Math.min(this.limits.overall.capacity, this.overall.tokens + 1);
    this.client(address).tokens = this.limits.perClient.capacity;
    this.trusted.add(address);
  }

  /** Attempts the address may still make right now (for the log line). */
  remaining(address: string): number {
    return Math.floor(this.clients.get(address)?.tokens ?? this.limits.perClient.capacity);
  }
}
