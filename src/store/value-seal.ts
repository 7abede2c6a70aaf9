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
    return seal(this.#key, Buffer.from(plain, "utf8"), aadOf("secret", nameKey, version));
  }

  /** A value sealed by {@link seal}; `kind` only names the object in the error. */
  open(row: SealedRow, kind: ObjectKind = "secret"): string {
    const plain = this.#open(row, kind, aadOf("secret", row.name_key, row.version));
    const text = plain.toString("utf8");
    plain.fill(0);
    return text;
  }

  /** Bytes of an object of `kind` (a key's private form); the caller zeroes `plain` when done with it. */
  sealBytes(plain: Uint8Array, kind: ObjectKind, nameKey: string, version: string): Buffer {
    return seal(this.#key, plain, aadOf(kind, nameKey, version));
  }

  /** The bytes sealed by {@link sealBytes}; the caller zeroes them when done. */
  openBytes(row: SealedRow, kind: ObjectKind): Buffer {
    return this.#open(row, kind, aadOf(kind, row.name_key, row.version));
  }

  #open(row: SealedRow, kind: ObjectKind, aad: string): Buffer {
    try {
      return open(this.#key, row.value, aad);
    } catch (error) {
      throw new ConfigurationError(
        `Cannot decrypt version ${row.version} of ${kind} ${row.name} in ${this.#vault}: the row was altered, moved, or sealed under another key.`,
        { kind, objectName: row.name, vault: this.#vault, cause: error },
      );
    }
  }
}

/**
 * Secrets keep the AAD they always had; other kinds name themselves in it, so a key's sealed
 * private part copied onto a secret's row of the same name and version does not open as its value.
 */
function aadOf(kind: ObjectKind, nameKey: string, version: string): string {
  return kind === "secret" ? `${nameKey}/${version}` : `${kind}:${nameKey}/${version}`;
}
