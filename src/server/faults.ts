import { KeyVaultHttpError } from "./errors.js";

/**
 * Test features, all off by default: let users (and our tests) see how their code behaves when
 * Key Vault is slow or throttles. Only authenticated requests are throttled, as the real service
 * does, so the SDK's 401 handshake is never what gets refused.
 */
export interface FaultOptions {
  /** Delay added to every request, in milliseconds. */
  latencyMs?: number;
  /** Share of requests (0..1) answered with `throttleStatus`. */
  throttleRate?: number;
  /** Answer the first N authenticated requests with `throttleStatus`, then none (deterministic, for tests). */
  throttleFirst?: number;
  throttleStatus?: 429 | 503;
  /** Seconds sent in `Retry-After` (default 1). Without the header the SDK would not retry a 429. */
  retryAfterSeconds?: number;
  /** Where the throttle's coin flips come from; Math.random by default. */
  random?: () => number;
}

export interface Faults {
  /** Waits the configured latency (resolves at once when there is none). */
  delay(): Promise<void> | undefined;
  /** The throttling reply for this request, or undefined to let it through. */
  throttle(): KeyVaultHttpError | undefined;
}

export function createFaults(options: FaultOptions = {}): Faults {
  const latency = options.latencyMs ?? 0;
  const rate = options.throttleRate ?? 0;
  let firstLeft = options.throttleFirst ?? 0;
  const random = options.random ?? Math.random;
  const status = options.throttleStatus ?? 429;
  const retryAfter = String(options.retryAfterSeconds ?? 1);
  return {
    delay: () => (latency > 0 ? new Promise((resolve) => setTimeout(resolve, latency)) : undefined),
    throttle() {
      let hit = false;
      if (firstLeft > 0) {
        firstLeft--;
        hit = true;
      } else if (rate > 0) {
        hit = random() < rate;
      }
      if (!hit) return undefined;
      return status === 429
        ? new KeyVaultHttpError(429, "Throttled", "Operations per second is over the limit, try again later (injected by orbitra vault serve).", {
            headers: { "retry-after": retryAfter },
          })
        : new KeyVaultHttpError(503, "ServiceUnavailable", "The service is temporarily unavailable (injected by orbitra vault serve).", {
            headers: { "retry-after": retryAfter },
          });
    },
  };
}
