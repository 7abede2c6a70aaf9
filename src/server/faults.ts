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
  /** Answer the next N authenticated requests with `failStatus` (default 500), then none. Counts down in place. */
  failNext?: number;
  failStatus?: number;
}

export interface Faults {
  /** Waits the configured latency (resolves at once when there is none). */
  delay(): Promise<void> | undefined;
  /** The throttling reply for this request, or undefined to let it through. */
  throttle(): KeyVaultHttpError | undefined;
}

/**
 * The options object is live: the server reads it on every request, so the testing kit and the
 * `/_orbitra/faults` admin path switch faults on a running server by changing its fields (and
 * the `throttleFirst` / `failNext` counters count down in it).
 */
export function createFaults(options: FaultOptions = {}): Faults {
  return {
    delay() {
      const latency = options.latencyMs ?? 0;
      return latency > 0 ? new Promise((resolve) => setTimeout(resolve, latency)) : undefined;
    },
    throttle() {
      if ((options.failNext ?? 0) > 0) {
        options.failNext!--;
        return injectedFailure(options.failStatus ?? 500);
      }
      let hit = false;
      if ((options.throttleFirst ?? 0) > 0) {
        options.throttleFirst!--;
        hit = true;
      } else if ((options.throttleRate ?? 0) > 0) {
        hit = (options.random ?? Math.random)() < options.throttleRate!;
      }
      if (!hit) return undefined;
      const headers = { "retry-after": String(options.retryAfterSeconds ?? 1) };
      return (options.throttleStatus ?? 429) === 429
        ? new KeyVaultHttpError(429, "Throttled", "Operations per second is over the limit, try again later (injected by orbitra vault serve).", { headers })
        : new KeyVaultHttpError(503, "ServiceUnavailable", "The service is temporarily unavailable (injected by orbitra vault serve).", { headers });
    },
  };
}

/** `failNext`'s reply: Key Vault's envelope with the status asked for. */
function injectedFailure(status: number): KeyVaultHttpError {
  return new KeyVaultHttpError(status, status >= 500 ? "InternalServerError" : "InjectedFault", `Failure injected by the orbitra testing kit (status ${status}).`);
}

/** Every switch off, in place (what `faults.clear()` and `DELETE /_orbitra/faults` do). */
export function clearFaults(options: FaultOptions): void {
  for (const key of ["latencyMs", "throttleRate", "throttleFirst", "throttleStatus", "retryAfterSeconds", "failNext", "failStatus"] as const) delete options[key];
}
