import { KeyVaultHttpError } from "./errors.js";

/**
 * Key Vault's published throttling limits, per vault (and region), per 10 seconds
 * (docs/keyvault-wire.md §11.2; learn.microsoft.com "Azure Key Vault service limits"): 4,000
 * transactions of secrets and of software RSA-2048 / EC keys; 300 secret creates; 20 software-key
 * creates. "The throttling thresholds are weighted, and enforcement is on their sum": each
 * operation costs `budget / its own limit` units of one 4,000-unit budget, so 300 creates (or 20
 * key creates, or 4,000 GETs) fill it alike, and a mix fills it in proportion.
 *
 * Not modelled: RSA-3072/4096 and HSM keys' heavier weights (the key's size is known only once the
 * operation has read it, after the decision), and the subscription-wide limit (5x a vault's).
 */
export const KEY_VAULT_LIMITS = Object.freeze({
  windowMs: 10_000,
  budget: 4000,
  /** Operations with a lower limit than the budget, by the suffix of their RBAC action. */
  limits: Object.freeze({
    "/secrets/setSecret/action": 300,
    "/keys/create/action": 20,
  }) as Readonly<Record<string, number>>,
});

export type RateLimitPreset = "azure";

interface Entry {
  at: number;
  units: number;
}

/**
 * One vault's trailing window: every admitted request with its time and units, oldest first, and
 * their sum. A request is admitted when the units of the last `windowMs` plus its own stay within
 * the budget; else it is refused and not counted (a 429 costs the client nothing but the wait).
 * At Key Vault's limit the window holds at most 4,000 entries, dropped as they age out.
 */
class TrailingWindow {
  readonly #entries: Entry[] = [];
  #head = 0;
  #sum = 0;

  constructor(
    private readonly windowMs: number,
    private readonly budget: number,
  ) {}

  /** 0 when admitted (and counted), else the milliseconds until it would be. */
  admit(now: number, units: number): number {
    this.#expire(now);
    if (this.#sum + units <= this.budget + 1e-9) {
      this.#entries.push({ at: now, units });
      this.#sum += units;
      return 0;
    }
    // When enough of the oldest units will have aged out for this request to fit.
    let freed = 0;
    for (let i = this.#head; i < this.#entries.length; i++) {
      freed += this.#entries[i]!.units;
      if (this.#sum - freed + units <= this.budget + 1e-9) return this.#entries[i]!.at + this.windowMs - now;
    }
    return this.windowMs; // heavier than the whole budget: never fits; ask for a full window
  }

  #expire(now: number): void {
    const entries = this.#entries;
    while (this.#head < entries.length && entries[this.#head]!.at + this.windowMs <= now) {
      this.#sum -= entries[this.#head]!.units;
      this.#head++;
    }
    if (this.#head === entries.length) {
      entries.length = 0;
      this.#head = 0;
      this.#sum = 0; // no float drift left over
    } else if (this.#head > 1024 && this.#head * 2 > entries.length) {
      entries.splice(0, this.#head);
      this.#head = 0;
    }
  }
}

/** `vault serve --rate-limit azure`: Key Vault's per-vault throttling, answered as Key Vault answers it. */
export class VaultRateLimit {
  readonly #windows = new Map<string, TrailingWindow>();
  readonly #clock: () => number;

  constructor(clock: () => number = () => performance.now()) {
    this.#clock = clock;
  }

  /** Counts one authorized request against its vault; the 429 to answer when it is over the limit. */
  check(vault: string, action: string): KeyVaultHttpError | undefined {
    let window = this.#windows.get(vault);
    if (!window) {
      window = new TrailingWindow(KEY_VAULT_LIMITS.windowMs, KEY_VAULT_LIMITS.budget);
      this.#windows.set(vault, window);
    }
    const waitMs = window.admit(this.#clock(), unitsOf(action));
    return waitMs > 0 ? throttled(waitMs) : undefined;
  }
}

function unitsOf(action: string): number {
  for (const [suffix, limit] of Object.entries(KEY_VAULT_LIMITS.limits)) {
    if (action.endsWith(suffix)) return KEY_VAULT_LIMITS.budget / limit;
  }
  return 1;
}

/**
 * Key Vault's throttling reply: 429, code "Throttled", its message, and `Retry-After` in whole
 * seconds (rounded up, so a client that waits exactly that long is admitted).
 */
function throttled(waitMs: number): KeyVaultHttpError {
  return new KeyVaultHttpError(429, "Throttled", "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached", {
    headers: { "retry-after": String(Math.max(1, Math.ceil(waitMs / 1000))) },
  });
}
