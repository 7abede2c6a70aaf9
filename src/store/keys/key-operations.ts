import { PermissionDeniedError } from "../../core/errors.js";
import { assertUsable } from "../../crypto/assert-usable.js";
import { privateJwk } from "../../crypto/jwk-export.js";
import type { KeyMaterial } from "../../crypto/key-material.js";
import { decrypt, encrypt, sign, unwrapKey, verify, wrapKey } from "../../crypto/operations.js";
import { privateKeyFromBytes } from "../../crypto/private-form.js";
import type { CryptoOperation, JsonWebKey, SignatureAlgorithm } from "../../crypto/types.js";
import type { VaultCore } from "../vault-core.js";
import { MaterialCache } from "./material-cache.js";
import { keyOpsOf, sealedPrivate, type KeyVersionFields, type KeyVersionRow } from "./rows.js";
import type { CryptoRequest, StoredCryptoResult } from "./types.js";

/** Reads a live version's row (after the read-time checks), or throws KeyNotFound. */
export type LiveRow = (name: string, version?: string) => KeyVersionRow;

/**
 * Everything that uses a version's private material: the six operations and the export. Each
 * reads the version's row first, so enabled, key_ops, nbf/exp (on the store's clock) and deletion
 * are those in the file now; only then is the material unsealed (or taken from the cache).
 */
export class KeyOperations {
  readonly #core: VaultCore;
  readonly #liveRow: LiveRow;
  readonly #materials = new MaterialCache(256);

  constructor(core: VaultCore, liveRow: LiveRow) {
    this.#core = core;
    this.#liveRow = liveRow;
  }

  async encrypt(name: string, version: string | undefined, r: CryptoRequest): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "encrypt");
    const out = await encrypt(material, r.alg, r.value, { iv: r.iv, aad: r.aad });
    const result: StoredCryptoResult = { version: row.version, result: out.result };
    if (out.iv !== undefined) result.iv = out.iv;
    if (out.tag !== undefined) result.authenticationTag = out.tag;
    if (out.aad !== undefined) result.additionalAuthenticatedData = out.aad;
    return result;
  }

  async decrypt(name: string, version: string | undefined, r: CryptoRequest): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "decrypt");
    return { version: row.version, result: await decrypt(material, r.alg, r.value, { iv: r.iv, aad: r.aad, tag: r.tag }) };
  }

  async wrapKey(name: string, version: string | undefined, r: CryptoRequest): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "wrapKey");
    return { version: row.version, result: await wrapKey(material, r.alg, r.value) };
  }

  async unwrapKey(name: string, version: string | undefined, r: CryptoRequest): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "unwrapKey");
    return { version: row.version, result: await unwrapKey(material, r.alg, r.value) };
  }

  async sign(name: string, version: string | undefined, alg: SignatureAlgorithm, digest: Uint8Array): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "sign");
    return { version: row.version, result: await sign(material, alg, digest) };
  }

  async verify(name: string, version: string | undefined, alg: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): Promise<boolean> {
    const { material } = this.#usable(name, version, "verify");
    return verify(material, alg, digest, signature);
  }

  /** The private JWK (with key_ops) of an `exportable` version; 403 for any other. */
  exportKey(name: string, version?: string): JsonWebKey {
    const row = this.#liveRow(name, version);
    if (row.exportable !== 1) {
      throw new PermissionDeniedError(`Key ${row.name} is not exportable; only a key created or imported as exportable can leave the vault.`, {
        kind: "key",
        objectName: row.name,
        statusCode: 403,
        serviceCode: "Forbidden",
      });
    }
    const keyOps = keyOpsOf(row);
    return { ...privateJwk(this.#material(row)), ...(keyOps === undefined ? {} : { key_ops: keyOps }) };
  }

  /** The version's row and material, once assertUsable lets `op` run on it now. */
  #usable(name: string, version: string | undefined, op: CryptoOperation): { row: KeyVersionRow; material: KeyMaterial } {
    const row = this.#liveRow(name, version);
    const usage = { enabled: row.enabled === 1, name: row.name, ...optionalDates(row) };
    const keyOps = keyOpsOf(row);
    assertUsable(keyOps === undefined ? usage : { ...usage, keyOps }, op, new Date(this.#core.now() * 1000));
    return { row, material: this.#material(row) };
  }

  #material(row: KeyVersionRow): KeyMaterial {
    return this.#materials.get(`${row.name_key}/${row.version}`, () => {
      const bytes = this.#core.values.openBytes(sealedPrivate(row), "key");
      try {
        return privateKeyFromBytes(bytes);
      } finally {
        bytes.fill(0);
      }
    });
  }
}

function optionalDates(row: KeyVersionFields): { notBefore?: Date; expiresOn?: Date } {
  return {
    ...(row.nbf === null ? {} : { notBefore: new Date(row.nbf * 1000) }),
    ...(row.exp === null ? {} : { expiresOn: new Date(row.exp * 1000) }),
  };
}
