import type { CryptographyClient, KeyVaultKey as SdkKeyVaultKey } from "@azure/keyvault-keys";

/** How long a fetched key serves crypto calls before it is read again. */
export const KEY_CACHE_MS = 5000;
const MAX_ENTRIES = 1000;

export interface CryptoTarget {
  key: SdkKeyVaultKey;
  client: CryptographyClient;
}

/**
 * The key a crypto call runs on, read once and kept for a few seconds, as the SDK's own
 * `CryptographyClient` keeps the key it fetched (for good; this for {@link KEY_CACHE_MS}). Without
 * it every sign or decrypt would cost a GET first. What may be stale is only what the SDK checks
 * locally (nbf, exp, key_ops) and the public key it runs RSA encrypt, wrap and verify on, which
 * anyone holding the public key can do anyway; everything else the vault checks itself. The
 * backend forgets a name whenever it changes that key.
 */
export class CryptoClientCache {
  readonly #entries = new Map<string, { at: number; target: Promise<CryptoTarget> }>();
  readonly #fetch: (name: string, version: string | undefined) => Promise<SdkKeyVaultKey>;
  readonly #clientFor: (key: SdkKeyVaultKey) => CryptographyClient;
  readonly #now: () => number;

  constructor(
    fetch: (name: string, version: string | undefined) => Promise<SdkKeyVaultKey>,
    clientFor: (key: SdkKeyVaultKey) => CryptographyClient,
    now: () => number = Date.now,
  ) {
    this.#fetch = fetch;
    this.#clientFor = clientFor;
    this.#now = now;
  }

  get(name: string, version: string | undefined): Promise<CryptoTarget> {
    const id = `${name.toLowerCase()}/${version?.toLowerCase() ?? ""}`;
    const hit = this.#entries.get(id);
    if (hit && this.#now() - hit.at < KEY_CACHE_MS) return hit.target;
    if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    const target = this.#fetch(name, version).then((key) => ({ key, client: this.#clientFor(key) }));
    const entry = { at: this.#now(), target };
    this.#entries.set(id, entry);
    // A failed read (not found, denied) is not kept: the next call asks again.
    target.catch(() => {
      if (this.#entries.get(id) === entry) this.#entries.delete(id);
    });
    return target;
  }

  /** Drops every version of `name`: this backend just changed it. */
  forget(name: string): void {
    const prefix = `${name.toLowerCase()}/`;
    for (const id of this.#entries.keys()) if (id.startsWith(prefix)) this.#entries.delete(id);
  }
}
