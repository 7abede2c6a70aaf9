import { ConfigurationError, isOrbitraError } from "../core/errors.js";
import type { SecretBundle } from "../core/types.js";
import { systemClock, type Clock } from "./clock.js";

/** Opt-in client cache: `getSecretsClient({ ..., cache: { ttlMs: 60_000 } })`. */
export interface SecretCacheOptions {
  /** How long a read is served without asking the vault again; default 60 s. */
  ttlMs?: number;
  /** Most entries kept (one per name and version read); the least recently used go first. Default 1,000. */
  maxEntries?: number;
  /**
   * How long after it expires an entry may still be served when the vault fails with `Throttled`
   * or `Unavailable` (a 429, a 5xx, the network). Default 0: never serve stale.
   */
  staleIfErrorMs?: number;
  /** Time source (tests); only `now()` is used. */
  clock?: Pick<Clock, "now">;
}

export const CACHE_DEFAULTS = Object.freeze({ ttlMs: 60_000, maxEntries: 1000, staleIfErrorMs: 0 });

interface Entry {
  bundle: SecretBundle;
  storedAt: number;
}

interface Flight {
  promise: Promise<SecretBundle>;
  /** False once the name is written or deleted: the answer may predate it, so it is not stored. */
  current: boolean;
}

/** Counters for tests and `--verbose` output. */
export interface CacheStats {
  hits: number;
  misses: number;
  /** Reads answered with an expired entry because the vault failed. */
  staleServed: number;
}

/**
 * Values read through one client, kept for `ttlMs`, at most `maxEntries` (LRU), optionally
 * served stale for `staleIfErrorMs` more when the vault is throttling or down. The client
 * drops every version of a name on its own writeSecret, updateSecretProperties, deleteSecret,
 * recover, purge and restore; a read that was in flight during such a change is not stored.
 * Writes made by others are seen when the entry expires: pick `ttlMs` accordingly.
 *
 * Concurrent reads of one entry share one request. Errors are never cached. One cache serves
 * one vault: do not share an instance between clients of different vaults.
 */
export class SecretCache {
  readonly ttlMs: number;
  readonly maxEntries: number;
  readonly staleIfErrorMs: number;
  readonly stats: CacheStats = { hits: 0, misses: 0, staleServed: 0 };
  readonly #clock: Pick<Clock, "now">;
  readonly #entries = new Map<string, Entry>();
  readonly #flights = new Map<string, Flight>();

  constructor(options: SecretCacheOptions = {}) {
    this.ttlMs = nonNegative(options.ttlMs ?? CACHE_DEFAULTS.ttlMs, "ttlMs");
    this.maxEntries = Math.floor(nonNegative(options.maxEntries ?? CACHE_DEFAULTS.maxEntries, "maxEntries"));
    this.staleIfErrorMs = nonNegative(options.staleIfErrorMs ?? CACHE_DEFAULTS.staleIfErrorMs, "staleIfErrorMs");
    this.#clock = options.clock ?? systemClock;
  }

  /** Entries held, fresh or stale. */
  get size(): number {
    return this.#entries.size;
  }

  /** The fresh entry for a name (and version), or undefined. Counts as a use for the LRU order. */
  peek(name: string, version?: string): SecretBundle | undefined {
    const key = keyOf(name, version);
    const entry = this.#entries.get(key);
    if (!entry || !this.#isFresh(entry)) return undefined;
    this.#touch(key, entry);
    return entry.bundle;
  }

  /**
   * The cached bundle when fresh; otherwise `load()`'s, stored. When `load` fails with
   * `Throttled` or `Unavailable` and an entry expired less than `staleIfErrorMs` ago, that
   * entry is returned instead of the error.
   */
  async read(name: string, version: string | undefined, load: () => Promise<SecretBundle>): Promise<SecretBundle> {
    const key = keyOf(name, version);
    const fresh = this.peek(name, version);
    if (fresh) {
      this.stats.hits++;
      return fresh;
    }
    this.stats.misses++;
    const existing = this.#flights.get(key);
    if (existing) return existing.promise;
    const flight: Flight = { promise: undefined as unknown as Promise<SecretBundle>, current: true };
    flight.promise = (async () => {
      try {
        const bundle = await load();
        if (flight.current) this.#store(key, bundle);
        return bundle;
      } catch (error) {
        const stale = this.#entries.get(key);
        if (stale && isTransient(error) && this.#clock.now() - stale.storedAt < this.ttlMs + this.staleIfErrorMs) {
          this.stats.staleServed++;
          return stale.bundle;
        }
        throw error;
      } finally {
        if (this.#flights.get(key) === flight) this.#flights.delete(key);
      }
    })();
    this.#flights.set(key, flight);
    return flight.promise;
  }

  /** Forgets every version of `name`, and keeps reads in flight for it from being stored. */
  invalidate(name: string): void {
    const prefix = `${name.toLowerCase()}/`;
    for (const key of [...this.#entries.keys()]) if (key.startsWith(prefix)) this.#entries.delete(key);
    for (const [key, flight] of [...this.#flights]) {
      if (key.startsWith(prefix)) {
        flight.current = false;
        this.#flights.delete(key);
      }
    }
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
    for (const flight of this.#flights.values()) flight.current = false;
    this.#flights.clear();
  }

  #isFresh(entry: Entry): boolean {
    return this.#clock.now() - entry.storedAt < this.ttlMs;
  }

  #touch(key: string, entry: Entry): void {
    this.#entries.delete(key);
    this.#entries.set(key, entry);
  }

  #store(key: string, bundle: SecretBundle): void {
    if (this.maxEntries === 0 || this.ttlMs === 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, { bundle, storedAt: this.#clock.now() });
    // Drop what can no longer be served, then the least recently used.
    if (this.#entries.size > this.maxEntries) {
      const now = this.#clock.now();
      for (const [k, e] of this.#entries) {
        if (now - e.storedAt >= this.ttlMs + this.staleIfErrorMs) this.#entries.delete(k);
      }
    }
    while (this.#entries.size > this.maxEntries) {
      this.#entries.delete(this.#entries.keys().next().value!);
    }
  }
}

/** The cache a `cache` option asks for: none, the defaults (`true`), these options, or this instance. */
export function createSecretCache(option: SecretCache | SecretCacheOptions | boolean | undefined): SecretCache | undefined {
  if (option === undefined || option === false) return undefined;
  if (option === true) return new SecretCache();
  return option instanceof SecretCache ? option : new SecretCache(option);
}

/** One entry per (name, version) whatever the case of either, as Key Vault compares them; "" for the latest. */
export function keyOf(name: string, version: string | undefined): string {
  return `${name.toLowerCase()}/${version?.toLowerCase() ?? ""}`;
}

function isTransient(error: unknown): boolean {
  return isOrbitraError(error) && (error.code === "Throttled" || error.code === "Unavailable");
}

function nonNegative(value: number, what: string): number {
  if (!(value >= 0)) throw new ConfigurationError(`cache ${what} must be a number >= 0`);
  return value;
}
