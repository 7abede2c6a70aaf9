import type { DeletedKey, KeyProperties, KeyVaultKey } from "../core/key-types.js";
import type { StoredDeletedKey, StoredKey } from "../store/keys/types.js";
import type { DeletedKeyProperties } from "./keys-backend.js";

const date = (seconds: number): Date => new Date(seconds * 1000);

/** The versioned id Key Vault gives a key version, the `kid` of its JWK. */
export function keyId(vaultUrl: string, name: string, version: string): string {
  return `${vaultUrl}/keys/${name}/${version}`;
}

/**
 * A stored key version as the public model (the local backend's side of what sdk-key-model.ts
 * does for the SDK). `withVersion: false` gives a `listKeys` item, which names the key only.
 */
export function toKeyProperties(stored: StoredKey, vaultUrl: string, withVersion = true): KeyProperties {
  const properties: KeyProperties = {
    name: stored.name,
    id: withVersion ? keyId(vaultUrl, stored.name, stored.version) : `${vaultUrl}/keys/${stored.name}`,
    vaultUrl,
    enabled: stored.enabled,
    createdOn: date(stored.created),
    updatedOn: date(stored.updated),
    tags: { ...stored.tags },
    exportable: stored.exportable,
    recoveryLevel: stored.recoveryLevel,
    recoverableDays: stored.recoverableDays,
  };
  if (withVersion) properties.version = stored.version;
  if (stored.notBefore !== undefined) properties.notBefore = date(stored.notBefore);
  if (stored.expiresOn !== undefined) properties.expiresOn = date(stored.expiresOn);
  if (stored.managed) properties.managed = true;
  return properties;
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

const deletion = (stored: StoredDeletedKey, vaultUrl: string) => ({
  recoveryId: `${vaultUrl}/deletedkeys/${stored.name}`,
  deletedOn: date(stored.deletedDate),
  scheduledPurgeDate: date(stored.scheduledPurgeDate),
});

export function toDeletedKey(stored: StoredDeletedKey, vaultUrl: string): DeletedKey {
  return { ...toKeyVaultKey(stored, vaultUrl), ...deletion(stored, vaultUrl) };
}

export function toDeletedKeyProperties(stored: StoredDeletedKey, vaultUrl: string): DeletedKeyProperties {
  return { ...toKeyProperties(stored, vaultUrl, false), ...deletion(stored, vaultUrl) };
}
