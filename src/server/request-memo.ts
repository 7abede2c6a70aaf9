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
export interface ReadonlyQuery {
  /** The first value of `name`, decoded, or null: as URLSearchParams.get. */
  get(name: string): string | null;
}

/**
 * A parsed query that cannot be changed, read by name from a Map: URLSearchParams' own `get`
 * converts its argument and walks the list on every call, and a GET asks for `outContentType`
 * on every request. Percent-decoding and `+` are URLSearchParams' (it parses); the first of a
 * repeated name wins, as with its `get`.
 */
export class QueryValues implements ReadonlyQuery {
  readonly #first = new Map<string, string>();

  constructor(text: string) {
    for (const [name, value] of new URLSearchParams(text)) if (!this.#first.has(name)) this.#first.set(name, value);
  }

  get(name: string): string | null {
    return this.#first.get(name) ?? null;
  }
}
