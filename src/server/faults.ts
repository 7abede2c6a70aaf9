import { KeyVaultHttpError } from "./http-error.js";

/** Test features, off by default: let users and our tests see behaviour under Key Vault's throttling. */
export interface FaultOptions {
  /** Delay added to every request. */
  latencyMs?: number;
  /** Share of requests (0..1) answered with `throttleStatus`. */
  throttleRate?: number;
  throttleStatus?: 429 | 503;
  /** Seconds in `Retry-After`; without it the SDK does not retry a 429. */
  retryAfterSeconds?: number;
  random?: () => number;
}

export async function applyFaults(options: FaultOptions): Promise<void> {
  if (options.latencyMs) await new Promise((resolve) => setTimeout(resolve, options.latencyMs));
  const rate = options.throttleRate ?? 0;
  if (rate > 0 && (options.random ?? Math.random)() < rate) {
    const status = options.throttleStatus ?? 429;
    throw new KeyVaultHttpError(
      status,
      status === 429 ? "Throttled" : "ServiceUnavailable",
      status === 429 ? "Operations per second is over the limit, try again later (injected by orbitra vault serve)." : "The service is temporarily unavailable (injected by orbitra vault serve).",
      { headers: { "Retry-After": String(options.retryAfterSeconds ?? 1) } },
    );
  }
}
