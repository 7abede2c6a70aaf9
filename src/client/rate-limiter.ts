import { ConfigurationError } from "../core/errors.js";
import { systemClock, type Clock } from "./clock.js";

/**
 * Client-side request budget per vault, so that bulk work stays under Key Vault's throttling
 * limits instead of running into 429s (docs/keyvault-wire.md §11.2: per vault and region, 4,000 "other"
 * transactions and 300 secret creates per 10 s, weighted, enforced on the sum).
 *
 * Defaults and why: a token bucket of `burst` tokens refilled at `ratePerSecond`. In any window
 * of T seconds it lets through at most `burst + ratePerSecond * T` units, so the service's 10 s
 * window sees at most 1,500 + 200 * 10 = 3,500 units: 87.5 % of 4,000, leaving room for the
 * other clients of the same vault (the apps that run on it). The budget is spent up front rather
 * than smoothed (a small burst at 350/s would also fit, but then reading 1,000 secrets takes ~3 s
 * instead of the ~0.3 s the window allows): bulk reads of up to ~1,500 secrets go at full
 * concurrency, larger ones continue at 200/s. A secret create weighs 4,000 / 300 units, so creates
 * stay under their own 300 per 10 s too (at most 3,500 / 13.3 = 262).
 */
export const KEY_VAULT_RATE_LIMIT = Object.freeze({
  ratePerSecond: 200,
  burst: 1500,
  /** Units one secret create costs against the shared budget (4,000 other / 300 creates). */
  createWeight: 4000 / 300,
});

/**
 * What a bulk call draws from before each request: {@link RateLimiter} (a token bucket, the
 * default) or {@link WindowRateLimiter} (Key Vault's own trailing window).
 */
export interface RequestLimiter {
  /** Waits until `weight` units may be spent, then spends them. Rejects with the signal's reason when aborted. */
  acquire(weight?: number, signal?: AbortSignal): Promise<void>;
  /** Holds every request for `ms` from now (the service's Retry-After). */
  pause(ms: number): void;
}

export interface RateLimiterOptions {
  /** Sustained units per second. */
  ratePerSecond: number;
  /** Units available at once (the bucket's size). */
  burst: number;
  clock?: Clock;
}

/**
 * A token bucket in GCRA form: each `acquire` reserves its slot at once and then waits for it, so
 * concurrent callers are never serialised behind one another's waits, and the cost of a call is
 * O(1) whatever the number of waiters. Grants happen in call order.
 *
 * After a 429, {@link pause} holds every caller until the Retry-After has passed, including those
 * that had already reserved a slot (they take a new one), and restarts the bucket empty, so the
 * vault sees a gentle ramp rather than a burst right when it asked us to slow down.
 */
export class RateLimiter implements RequestLimiter {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly #clock: Clock;
  /** Milliseconds per unit. */
  readonly #interval: number;
  /** Theoretical arrival time: when the bucket would be full again if nothing else came. */
  #tat = Number.NEGATIVE_INFINITY;
  #pausedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: RateLimiterOptions) {
    if (!(options.ratePerSecond > 0) || !Number.isFinite(options.ratePerSecond)) {
      throw new ConfigurationError("ratePerSecond must be a positive number");
    }
    if (!(options.burst >= 1) || !Number.isFinite(options.burst)) throw new ConfigurationError("burst must be at least 1");
    this.ratePerSecond = options.ratePerSecond;
    this.burst = options.burst;
    this.#clock = options.clock ?? systemClock;
    this.#interval = 1000 / options.ratePerSecond;
  }

  /** Waits until `weight` units may be spent, then spends them. Rejects with the signal's reason when aborted. */
  async acquire(weight = 1, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      const grant = this.#reserve(now, weight);
      if (grant > now) await this.#clock.sleep(grant - now, signal);
      // A pause that began while we waited wins: our slot is given up and a new one taken after it.
      if (this.#clock.now() >= this.#pausedUntil) return;
    }
  }

  /** Holds every request for `ms` from now (the service's Retry-After), then restarts with an empty bucket. */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    const until = this.#clock.now() + ms;
    if (until > this.#pausedUntil) this.#pausedUntil = until;
    this.#tat = Math.max(this.#tat, until + (this.burst - 1) * this.#interval);
  }

  /** When the next single unit would be granted (now, or later when the bucket is empty or paused). */
  nextGrantAt(): number {
    const now = this.#clock.now();
    return Math.max(now, this.#tat - (this.burst - 1) * this.#interval, this.#pausedUntil);
  }

  #reserve(now: number, weight: number): number {
    const tat = Math.max(this.#tat, now);
    const grant = Math.max(now, tat - (this.burst - weight) * this.#interval);
    this.#tat = tat + weight * this.#interval;
    return grant;
  }
}

/**
 * Key Vault's own limit as a client-side window: 4,000 units in any 10 s. The window is taken a
 * little longer than the service's (10.3 s): a request's 10-second mark is counted where the
 * service receives it, and one that arrives faster than the request it replaces in the window
 * would otherwise be refused.
 */
export const KEY_VAULT_WINDOW = Object.freeze({ limit: 4000, windowMs: 10_300 });

export interface WindowRateLimiterOptions {
  /** Units allowed in any window. */
  limit: number;
  windowMs: number;
  clock?: Clock;
}

/**
 * At most `limit` units in any trailing `windowMs`: the whole budget at once, then each unit again
 * one window after it was spent. This is how Key Vault counts (per 10 s), so a client that owns a
 * vault's budget reads 10,000 secrets in ~2 windows plus the last part's time, where the best
 * token bucket that never exceeds the window (400/s, no burst) needs 25 s. Grants are reserved in
 * call order, each at the earliest time the window has room for it: O(1) amortized per call.
 */
export class WindowRateLimiter implements RequestLimiter {
  readonly limit: number;
  readonly windowMs: number;
  readonly #clock: Clock;
  /** Reserved grants, oldest first, from #head on; times never decrease. */
  readonly #grants: { at: number; weight: number }[] = [];
  #head = 0;
  #sum = 0;
  #pausedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: WindowRateLimiterOptions) {
    if (!(options.limit >= 1) || !Number.isFinite(options.limit)) throw new ConfigurationError("limit must be at least 1");
    if (!(options.windowMs > 0) || !Number.isFinite(options.windowMs)) throw new ConfigurationError("windowMs must be a positive number");
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.#clock = options.clock ?? systemClock;
  }

  async acquire(weight = 1, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const now = this.#clock.now();
      const grant = this.#reserve(now, Math.min(weight, this.limit));
      if (grant > now) await this.#clock.sleep(grant - now, signal);
      if (this.#clock.now() >= this.#pausedUntil) return;
    }
  }

  /** After a 429: nothing goes out for `ms`; grants reserved before it stay counted (a safe overestimate). */
  pause(ms: number): void {
    if (!(ms > 0)) return;
    this.#pausedUntil = Math.max(this.#pausedUntil, this.#clock.now() + ms);
  }

  #reserve(now: number, weight: number): number {
    const grants = this.#grants;
    let at = Math.max(now, this.#pausedUntil, grants.length > this.#head ? grants[grants.length - 1]!.at : now);
    // Free the window at `at`: grants a window old are out; while still too full, wait for the oldest to age out.
    // `g.at + windowMs <= at`, not `g.at <= at - windowMs`: `at` is that very sum below, and with
    // fractional times (performance.now) the subtraction can round under g.at and loop for ever.
    for (;;) {
      while (this.#head < grants.length && grants[this.#head]!.at + this.windowMs <= at) this.#sum -= grants[this.#head++]!.weight;
      if (this.#sum + weight <= this.limit) break;
      at = grants[this.#head]!.at + this.windowMs;
    }
    grants.push({ at, weight });
    this.#sum += weight;
    if (this.#head > 1024 && this.#head * 2 > grants.length) {
      grants.splice(0, this.#head);
      this.#head = 0;
    }
    return at;
  }
}

const shared = new Map<string, RateLimiter>();

/**
 * The process-wide limiter of one vault (keyed by its URL, case-insensitively), with the
 * {@link KEY_VAULT_RATE_LIMIT} defaults: every client and every bulk call to the same vault in
 * this process draws from one budget, as the service counts them.
 */
export function sharedRateLimiter(vaultUrl: string): RateLimiter {
  const key = vaultUrl.toLowerCase().replace(/\/+$/, "");
  let limiter = shared.get(key);
  if (!limiter) {
    limiter = new RateLimiter({ ratePerSecond: KEY_VAULT_RATE_LIMIT.ratePerSecond, burst: KEY_VAULT_RATE_LIMIT.burst });
    shared.set(key, limiter);
  }
  return limiter;
}
