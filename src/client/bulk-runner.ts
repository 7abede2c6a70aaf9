import { isOrbitraError, ThrottledError } from "../core/errors.js";
import type { Clock } from "./clock.js";
import type { RequestLimiter } from "./rate-limiter.js";

/** Internal: the engine under `getSecrets`, `writeSecrets` and the reference resolver. */

export interface RunBulkOptions {
  /** Workers in flight at once. */
  concurrency: number;
  /** Spent before every request (retries included); none for the local store. */
  limiter: RequestLimiter | undefined;
  /** Units each request costs the limiter (1 for reads, {@link KEY_VAULT_RATE_LIMIT.createWeight} for creates). */
  weight: number;
  /** Retries after a `ThrottledError`, per item. */
  maxRetries: number;
  clock: Clock;
  /** In [0, 1): the jitter of back-off waits. */
  random: () => number;
  onProgress?: ((done: number, total: number) => void) | undefined;
  signal?: AbortSignal | undefined;
}

export type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/** Back-off when a 429 carries no Retry-After: from 1 s, doubling, at most 32 s (Key Vault's guidance, docs/keyvault-wire.md §11.2). */
export const BACKOFF = Object.freeze({ baseMs: 1000, maxMs: 32_000 });

/**
 * Runs `work` over every item with at most `concurrency` in flight, each request paid for with
 * the limiter first. A `ThrottledError` is retried up to `maxRetries` times: after its
 * `retryAfterMs` when the service said (authoritative, and the whole limiter pauses that long so
 * no other request goes out meanwhile), else after an exponential back-off with jitter. Other
 * errors are not retried. Every item gets an outcome, in input order; only an abort rejects.
 */
export async function runBulk<T, R>(items: readonly T[], work: (item: T) => Promise<R>, options: RunBulkOptions): Promise<Outcome<R>[]> {
  const { limiter, clock, signal } = options;
  const outcomes = new Array<Outcome<R>>(items.length);
  let next = 0;
  let done = 0;
  options.onProgress?.(0, items.length);

  const runOne = async (item: T): Promise<Outcome<R>> => {
    for (let attempt = 0; ; attempt++) {
      signal?.throwIfAborted();
      if (limiter) await limiter.acquire(options.weight, signal);
      try {
        return { ok: true, value: await work(item) };
      } catch (error) {
        signal?.throwIfAborted();
        if (!isThrottled(error) || attempt >= options.maxRetries) return { ok: false, error };
        const wait = retryDelay(error, attempt, options.random);
        // The vault is over its budget for everyone: hold the whole limiter, not just this item.
        if (limiter) limiter.pause(wait);
        else await clock.sleep(wait, signal);
      }
    }
  };

  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      outcomes[index] = await runOne(items[index]!);
      done++;
      options.onProgress?.(done, items.length);
    }
  };

  const workers = Math.max(1, Math.min(Math.floor(options.concurrency), items.length));
  await Promise.all(Array.from({ length: workers }, worker));
  return outcomes;
}

function isThrottled(error: unknown): error is ThrottledError {
  return isOrbitraError(error) && error.code === "Throttled";
}

/**
 * Retry-After when given; else 1 s, 2 s, 4 s ... plus up to half again at random (so that many
 * clients throttled together do not come back together), never more than 32 s.
 */
export function retryDelay(error: ThrottledError, attempt: number, random: () => number): number {
  if (error.retryAfterMs !== undefined && Number.isFinite(error.retryAfterMs) && error.retryAfterMs >= 0) {
    return error.retryAfterMs;
  }
  const base = BACKOFF.baseMs * 2 ** Math.min(attempt, 16);
  return Math.min(BACKOFF.maxMs, base * (1 + random() / 2));
}
