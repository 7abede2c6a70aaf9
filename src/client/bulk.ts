import { InvalidNameError, isOrbitraError } from "../core/errors.js";
import { assertValidValue, isValidName } from "../core/rules.js";
import { SecretStr } from "../core/secret-str.js";
import type { SecretBundle, SecretProperties, SetSecretOptions } from "../core/types.js";
import { BulkOperationError, toFailure } from "./bulk-error.js";
import { keyOf } from "./cache.js";
import { runBulk, type Outcome } from "./bulk-runner.js";
import { systemClock, type Clock } from "./clock.js";
import { KEY_VAULT_RATE_LIMIT, RateLimiter, sharedRateLimiter, type RequestLimiter } from "./rate-limiter.js";
import type { OrbitraSecretsClient } from "./secrets-client.js";

/** Requests in flight at once by default: enough to hide ~20-100 ms of latency per request. */
export const DEFAULT_CONCURRENCY = 64;
/** Retries of one item after a 429 (on top of the Azure SDK's own, which need a Retry-After). */
export const DEFAULT_MAX_RETRIES = 4;

/** Options every bulk operation takes. All optional; the defaults suit Key Vault. */
export interface BulkOptions {
  /** Requests in flight at once; default {@link DEFAULT_CONCURRENCY}. */
  concurrency?: number;
  /**
   * Sustained requests per second. Default: the vault's shared budget ({@link KEY_VAULT_RATE_LIMIT},
   * 200/s after a burst of 1,500). Giving this or `burst` makes a limiter for this call only.
   */
  ratePerSecond?: number;
  /** Requests allowed at once before `ratePerSecond` applies. */
  burst?: number;
  /**
   * A limiter to draw from (share one between calls), or `null` for none. By default the
   * process-wide limiter of the vault; the embedded `local` store has none (nothing to throttle).
   * A {@link WindowRateLimiter} with {@link KEY_VAULT_WINDOW} spends a whole vault's budget the way
   * Key Vault counts it: for a process that owns the vault's budget.
   */
  limiter?: RequestLimiter | null;
  /** Retries per item after a `ThrottledError`; default {@link DEFAULT_MAX_RETRIES}. */
  maxRetries?: number;
  /** Called with (0, total) first, then after every item, success or not: drive a progress bar from it. */
  onProgress?: (done: number, total: number) => void;
  /** Stops scheduling and rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Time source for back-off waits, and for the limiter this call makes from `ratePerSecond` or
   * `burst` (tests). It never chooses the limiter: to run the shared budget on another clock, pass
   * `limiter: new RateLimiter({ ...KEY_VAULT_RATE_LIMIT, clock })`.
   */
  clock?: Clock;
  /** Jitter source in [0, 1) (tests). */
  random?: () => number;
}

export interface GetSecretsOptions extends BulkOptions {
  /**
   * A name that does not exist: `"error"` (default) makes the call fail listing it; `"skip"`
   * leaves it out of the result (`map.has(name)` is false).
   */
  missing?: "error" | "skip";
}

/** One read: a secret's latest version, or a given one. */
export interface SecretRequest {
  name: string;
  version?: string;
}

/**
 * Reads many secrets at once: `concurrency` requests in flight, paced by the vault's rate
 * limiter, 429s retried after their Retry-After (see {@link BulkOptions}).
 *
 * ```ts
 * const values = await getSecrets(client, ["db-password", "api-key"], { onProgress: (d, t) => bar.update(d / t) });
 * values.get("db-password"); // SecretStr, or null when the secret holds an empty value
 * ```
 *
 * Returns a map keyed by the names as given, in the order given; a value is `null` when the secret
 * holds the empty string (as `getSecret`). Names that differ only in case are one secret in Key
 * Vault and are read once. Every name is checked before any request (`InvalidNameError` lists the
 * bad ones). When some reads fail, throws one {@link BulkOperationError} listing every failed
 * name and why (`failures`), after all reads have finished. With a client cache, fresh cached
 * values are used and cost no request. Needs `secrets/getSecret/action`.
 */
export async function getSecrets(
  client: OrbitraSecretsClient,
  names: Iterable<string>,
  options: GetSecretsOptions = {},
): Promise<Map<string, SecretStr | null>> {
  const given = [...new Set(names)];
  assertValidNames(given);
  const outcomes = await readSecrets(
    client,
    given.map((name) => ({ name })),
    options,
  );
  const result = new Map<string, SecretStr | null>();
  const failures = [];
  for (let i = 0; i < given.length; i++) {
    const name = given[i]!;
    const outcome = outcomes[i]!;
    if (outcome.ok) result.set(name, outcome.value.value);
    else if (!(options.missing === "skip" && isOrbitraError(outcome.error) && outcome.error.code === "SecretNotFound")) {
      failures.push(toFailure(name, outcome.error));
    }
  }
  if (failures.length > 0) throw new BulkOperationError("read", failures, given.length);
  return result;
}

/**
 * Internal (the resolver's engine): reads each request, reading each distinct (name, version)
 * once (names compare case-insensitively) and answering cache hits without a request.
 * Outcomes come back in request order; only an abort rejects.
 */
export async function readSecrets(
  client: OrbitraSecretsClient,
  requests: readonly SecretRequest[],
  options: BulkOptions = {},
): Promise<Outcome<SecretBundle>[]> {
  const known = new Map<string, Outcome<SecretBundle>>();
  const toFetch: SecretRequest[] = [];
  const seen = new Set<string>();
  for (const request of requests) {
    const key = keyOf(request.name, request.version);
    if (seen.has(key)) continue;
    seen.add(key);
    const cached = client.cache?.peek(request.name, request.version);
    if (cached) known.set(key, { ok: true, value: cached });
    else toFetch.push(request);
  }
  const total = seen.size;
  const hits = total - toFetch.length;
  const onProgress = options.onProgress;
  const fetched = await runBulk(
    toFetch,
    // The signal goes to each request too, so an abort cancels what is in flight instead of waiting for it.
    (request) =>
      client.getSecretBundle(request.name, {
        ...(request.version === undefined ? {} : { version: request.version }),
        ...(options.signal ? { abortSignal: options.signal } : {}),
      }),
    {
      ...runOptions(client, options, 1),
      onProgress: onProgress && ((done: number) => onProgress(hits + done, total)),
    },
  );
  toFetch.forEach((request, i) => known.set(keyOf(request.name, request.version), fetched[i]!));
  return requests.map((request) => known.get(keyOf(request.name, request.version))!);
}

/**
 * Writes many secrets (a new version each), paced as creates: each costs
 * {@link KEY_VAULT_RATE_LIMIT.createWeight} units of the vault's budget, so a bulk write stays
 * under Key Vault's 300 creates per 10 s. Every name and value is checked before any request.
 * Returns the new versions' properties keyed by name; when some writes fail, throws one
 * {@link BulkOperationError} listing them after all have finished (the others are written).
 * Needs `secrets/setSecret/action`.
 */
export async function writeSecrets(
  client: OrbitraSecretsClient,
  entries: Iterable<readonly [string, SecretStr | string]>,
  options: BulkOptions & { setOptions?: SetSecretOptions } = {},
): Promise<Map<string, SecretProperties>> {
  const list = [...entries].map(([name, value]): [string, SecretStr] => [name, typeof value === "string" ? new SecretStr(value) : value]);
  assertValidNames(list.map(([name]) => name));
  const lower = new Set<string>();
  for (const [name, value] of list) {
    assertValidValue(value.reveal(), name);
    if (lower.has(name.toLowerCase())) throw new InvalidNameError(`${name} is given twice (names compare case-insensitively).`, { secretName: name });
    lower.add(name.toLowerCase());
  }
  const outcomes = await runBulk(list, ([name, value]) => client.writeSecret(name, value, options.setOptions ?? {}), {
    ...runOptions(client, options, KEY_VAULT_RATE_LIMIT.createWeight),
    onProgress: options.onProgress,
  });
  const result = new Map<string, SecretProperties>();
  const failures = [];
  for (let i = 0; i < list.length; i++) {
    const outcome = outcomes[i]!;
    if (outcome.ok) result.set(list[i]![0], outcome.value);
    else failures.push(toFailure(list[i]![0], outcome.error));
  }
  if (failures.length > 0) throw new BulkOperationError("write", failures, list.length);
  return result;
}

function runOptions(client: OrbitraSecretsClient, options: BulkOptions, weight: number) {
  return {
    concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
    limiter: limiterFor(client, options),
    weight,
    maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
    clock: options.clock ?? systemClock,
    random: options.random ?? Math.random,
    signal: options.signal,
  };
}

/** The limiter a bulk call uses: see {@link BulkOptions.limiter}. */
export function limiterFor(client: OrbitraSecretsClient, options: BulkOptions = {}): RequestLimiter | undefined {
  if (options.limiter !== undefined) return options.limiter ?? undefined;
  if (client.target.kind === "local") return undefined;
  if (options.ratePerSecond !== undefined || options.burst !== undefined) {
    return new RateLimiter({
      ratePerSecond: options.ratePerSecond ?? KEY_VAULT_RATE_LIMIT.ratePerSecond,
      burst: options.burst ?? KEY_VAULT_RATE_LIMIT.burst,
      ...(options.clock ? { clock: options.clock } : {}),
    });
  }
  return sharedRateLimiter(client.target.vaultUrl);
}

function assertValidNames(names: readonly string[]): void {
  const bad = names.filter((name) => typeof name !== "string" || !isValidName(name));
  if (bad.length === 0) return;
  const shown = bad.slice(0, 10).map((name) => `'${String(name).replace(/[^\x20-\x7e]/g, "?").slice(0, 40)}'`);
  throw new InvalidNameError(
    `${bad.length} invalid secret name${bad.length === 1 ? "" : "s"}: ${shown.join(", ")}${bad.length > 10 ? ", ..." : ""}. ` +
      `Key Vault allows only letters, digits and '-' (1-127 characters).`,
  );
}
