import { createSecretKey, type KeyObject } from "node:crypto";
import { ConfigurationError } from "../core/errors.js";
import { open, seal } from "./cipher.js";
import type { VersionRow } from "./rows.js";

/**
 * Secret values at rest: AES-256-GCM under the vault key, with the lowercase name and version
 * as AAD, so a sealed value copied onto another row (or another secret) fails to open instead of
 * reading as that row's value.
 */
export class ValueSeal {
  readonly #key: KeyObject;
  readonly #vault: string;

  constructor(key: Buffer, vault: string) {
    this.#key = createSecretKey(key);
    this.#vault = vault;
  }

  seal(plain: string, nameKey: string, version: string): Buffer {
    return seal(this.#key, Buffer.from(plain, "utf8"), `${nameKey}/${version}`);
  }

  open(row: VersionRow): string {
    let plain: Buffer;
    try {
      plain = open(this.#key, row.value, `${row.name_key}/${row.version}`);
    } catch (error) {
      throw new ConfigurationError(
        `Cannot decrypt version ${row.version} of secret ${row.name} in ${this.#vault}: the row was altered, moved, or sealed under another key.`,
        { secretName: row.name, vault: this.#vault, cause: error },
      );
    }
    const text = plain.toString("utf8");
    plain.fill(0);
    return text;
  }
}
