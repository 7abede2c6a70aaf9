/**
 * Failed client-secret sign-ins, counted per client id and per source address, so that a caller
 * guessing secrets (or just hammering the endpoint) is answered 429 with Retry-After before any
 * scrypt hash is computed for it. Each key is a bucket of `burst` attempts that refills at one per
 * `refillSeconds`. An attempt takes one from both buckets up front (hashes run concurrently, and
 * 40 requests in flight must not all pass a check made before the first fails); a success gives
 * both back, so a principal that signs in correctly is never slowed by its own traffic.
 */
export interface LoginThrottleOptions {
  /** Milliseconds since the epoch; tests move it. */
  now?: () => number;
  perClient?: BucketShape;
  perSource?: BucketShape;
  /** Keys remembered at most (an attacker can invent client ids): the oldest go first. */
  maxKeys?: number;
}

export interface BucketShape {
  burst: number;
  refillSeconds: number;
}

/** A client id may fail 10 times at once, then once every 6 s: a typo'd secret is retried, a guesser gets nowhere. */
export const DEFAULT_PER_CLIENT: BucketShape = { burst: 10, refillSeconds: 6 };
/** One address (one machine, or a NAT) may fail more often, across the client ids it tries. */
export const DEFAULT_PER_SOURCE: BucketShape = { burst: 20, refillSeconds: 3 };
const DEFAULT_MAX_KEYS = 10_000;

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date, in ms. */
  at: number;
}

export type Admission = { ok: true; release(succeeded: boolean): void } | { ok: false; retryAfterSeconds: number };

export class LoginThrottle {
  private readonly now: () => number;
  private readonly perClient: BucketShape;
  private readonly perSource: BucketShape;
  private readonly maxKeys: number;
  private readonly buckets = new Map<string, Bucket>();

  constructor(options: LoginThrottleOptions = {}) {
    this.now = options.now ?? Date.now;
    this.perClient = options.perClient ?? DEFAULT_PER_CLIENT;
    this.perSource = options.perSource ?? DEFAULT_PER_SOURCE;
    this.maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  }

  /** Takes an attempt for this client id from this address, or says how long to wait. */
  admit(clientId: string, source: string | undefined): Admission {
    const keys: [string, BucketShape][] = [[`c:${clientId.toLowerCase()}`, this.perClient]];
    if (source) keys.push([`s:${source}`, this.perSource]);
    const now = this.now();
    const buckets = keys.map(([key, shape]) => ({ bucket: this.bucket(key, shape, now), shape }));
    const empty = buckets.filter(({ bucket }) => bucket.tokens < 1);
    if (empty.length > 0) {
      const waitMs = Math.max(...empty.map(({ bucket, shape }) => (1 - bucket.tokens) * shape.refillSeconds * 1000));
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
    }
    for (const { bucket } of buckets) bucket.tokens -= 1;
    let released = false;
    return {
      ok: true,
      release: (succeeded) => {
        if (released || !succeeded) return;
        released = true;
        for (const { bucket, shape } of buckets) bucket.tokens = Math.min(shape.burst, bucket.tokens + 1);
      },
    };
  }

  private bucket(key: string, shape: BucketShape, now: number): Bucket {
    let bucket = this.buckets.get(key);
    if (bucket) {
      bucket.tokens = Math.min(shape.burst, bucket.tokens + (now - bucket.at) / (shape.refillSeconds * 1000));
      bucket.at = now;
      // Re-inserted so the Map's order is least recently used first.
      this.buckets.delete(key);
    } else {
      bucket = { tokens: shape.burst, at: now };
      if (this.buckets.size >= this.maxKeys) this.buckets.delete(this.buckets.keys().next().value!);
    }
    this.buckets.set(key, bucket);
    return bucket;
  }
}
