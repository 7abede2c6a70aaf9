import type { KeyMaterial } from "../../crypto/key-material.js";

/**
 * Unsealed key material by `name_key/version`, so a server doing many operations with one key
 * opens and parses its private JWK once (for EC that parse also recomputes the public point).
 * A version's material never changes, and every operation reads the row first (enabled, key_ops,
 * dates, deleted), so an entry can only be used for a version that is still live. The material is
 * in `KeyObject`s, which never print their bytes; bounded, least recently used goes first.
 */
export class MaterialCache {
  readonly #entries = new Map<string, KeyMaterial>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  get(key: string, load: () => KeyMaterial): KeyMaterial {
    const hit = this.#entries.get(key);
    if (hit) {
      this.#entries.delete(key);
      this.#entries.set(key, hit);
      return hit;
    }
    const material = load();
    this.#entries.set(key, material);
    if (this.#entries.size > this.#max) this.#entries.delete(this.#entries.keys().next().value!);
    return material;
  }
}
