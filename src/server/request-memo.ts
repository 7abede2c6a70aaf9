/**
 * What a request's strings decide (its route from method and path, its parsed query, its Host's
 * origin and vault) is the same every time a client sends them, and a client sends the same few
 * again and again on one keep-alive connection. Remembering the answers spares a GET the parsing
 * and its ~20 small objects (bench/README.md, "Server GET"). Only successes are kept: a refusal is
 * worked out, and worded, afresh each time.
 *
 * Bounded, since clients choose the keys: when full it starts over, which costs a re-parse of the
 * few strings in use, not a leak.
 */
export class RequestMemo<V> {
  readonly #entries = new Map<string, V>();

  constructor(private readonly maxEntries = 256) {}

  get(key: string): V | undefined {
    return this.#entries.get(key);
  }

  set(key: string, value: V): V {
    if (this.#entries.size >= this.maxEntries) this.#entries.clear();
    this.#entries.set(key, value);
    return value;
  }
}

/** A query as the routes read it: parsed once per distinct query string and shared, so never changed. */
export type ReadonlyQuery = Pick<URLSearchParams, "get" | "has">;
