import type { DeletedKey, KeyProperties, KeyVaultKey } from "../core/key-types.js";
import type { StoredDeletedKey, StoredKey } from "../store/keys/types.js";
import type { DeletedKeyProperties } from "./keys-backend.js";
import { deletionOf, idOf, objectProperties } from "./properties.js";

/** The versioned id Key Vault gives a key version, the `kid` of its JWK. */
export function keyId(vaultUrl: string, name: string, version: string): string {
  return idOf(vaultUrl, "keys", name, version);
}

/**
 * A stored key version as the public model (the local backend's side of what sdk-key-model.ts
 * does for the SDK). `withVersion: false` gives a `listKeys` item, which names the key only.
 */
export function toKeyProperties(stored: StoredKey, vaultUrl: string, withVersion = true): KeyProperties {
  return { ...objectProperties(stored, vaultUrl, "keys", withVersion ? stored.version : undefined), exportable: stored.exportable };
}

export function toKeyVaultKey(stored: StoredKey, vaultUrl: string): KeyVaultKey {
  const properties = toKeyProperties(stored, vaultUrl);
  return {
    properties,
    key: { ...stored.publicJwk, kty: stored.kty, kid: properties.id, ...(stored.keyOps ? { key_ops: [...stored.keyOps] } : {}) },
    keyType: stored.kty,
    keyOperations: stored.keyOps ? [...stored.keyOps] : [],
  };
}

const deletion = (stored: StoredDeletedKey, vaultUrl: string) => deletionOf(stored, vaultUrl, "keys");

export function toDeletedKey(stored: StoredDeletedKey, vaultUrl: string): DeletedKey {
  return { ...toKeyVaultKey(stored, vaultUrl), ...deletion(stored, vaultUrl) };
}

export function toDeletedKeyProperties(stored: StoredDeletedKey, vaultUrl: string): DeletedKeyProperties {
  return { ...toKeyProperties(stored, vaultUrl, false), ...deletion(stored, vaultUrl) };
}
