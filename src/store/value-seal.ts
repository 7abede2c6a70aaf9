import { createSecretKey, type KeyObject } from "node:crypto";
import { ConfigurationError, type ObjectKind } from "../core/errors.js";
import { open, seal } from "./cipher.js";

/** What a sealed value is bound to: its object's lowercase name and its version. */
export interface SealedRow {
  value: Uint8Array;
  name: string;
  name_key: string;
  version: string;
}

/**
 * Values at rest (a secret's value, a key's private part): AES-256-GCM under the vault key, with
 * the lowercase name and version as AAD, so a sealed value copied onto another row (or another
 * object) fails to open instead of reading as that row's value.
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

  open(row: SealedRow, kind: ObjectKind = "secret"): string {
    let plain: Buffer;
    try {
      plain = open(this.#key, row.value, `${row.name_key}/${row.version}`);
    } catch (error) {
      throw new ConfigurationError(
        `Cannot decrypt version ${row.version} of ${kind} ${row.name} in ${this.#vault}: the row was altered, moved, or sealed under another key.`,
        { kind, objectName: row.name, vault: this.#vault, cause: error },
      );
    }
    const text = plain.toString("utf8");
    plain.fill(0);
    return text;
  }
}
