import type { DeletedSecretProperties, ObjectProperties, RecoveryLevel, SecretProperties } from "../core/types.js";
import type { StoredDeletedSecret, StoredSecret } from "../store/types.js";

const date = (seconds: number): Date => new Date(seconds * 1000);

/** What every kind's stored version has (StoredSecret, StoredKey, StoredCertificate): times in seconds. */
export interface StoredObjectBase {
  name: string;
  enabled: boolean;
  notBefore?: number;
  expiresOn?: number;
  created: number;
  updated: number;
  tags: Record<string, string>;
  recoveryLevel: RecoveryLevel;
  recoverableDays: number;
  managed?: boolean;
}

/** `${vaultUrl}/${collection}/${name}[/${version}]`: the ids Key Vault gives its objects. */
export function idOf(vaultUrl: string, collection: string, name: string, version?: string): string {
  return version === undefined ? `${vaultUrl}/${collection}/${name}` : `${vaultUrl}/${collection}/${name}/${version}`;
}

/**
 * The members every kind's public properties share, from a stored version. `version` undefined
 * gives what Key Vault's lists give (the object, not a version), so both backends answer alike.
 */
export function objectProperties(stored: StoredObjectBase, vaultUrl: string, collection: string, version: string | undefined): ObjectProperties {
  const properties: ObjectProperties = {
    name: stored.name,
    id: idOf(vaultUrl, collection, stored.name, version),
    vaultUrl,
    enabled: stored.enabled,
    createdOn: date(stored.created),
    updatedOn: date(stored.updated),
    tags: { ...stored.tags },
    recoveryLevel: stored.recoveryLevel,
    recoverableDays: stored.recoverableDays,
  };
  if (version !== undefined) properties.version = version;
  if (stored.notBefore !== undefined) properties.notBefore = date(stored.notBefore);
  if (stored.expiresOn !== undefined) properties.expiresOn = date(stored.expiresOn);
  if (stored.managed) properties.managed = true;
  return properties;
}

/** The deletion facts of a soft-deleted object: `recoveryId` under `deleted{collection}`. */
export function deletionOf(stored: { name: string; deletedDate: number; scheduledPurgeDate: number }, vaultUrl: string, collection: string) {
  return {
    recoveryId: idOf(vaultUrl, `deleted${collection}`, stored.name),
    deletedOn: date(stored.deletedDate),
    scheduledPurgeDate: date(stored.scheduledPurgeDate),
  };
}

/** A stored secret version as the public model; `withVersion: false` gives a `listSecrets` item. */
export function toSecretProperties(stored: StoredSecret, vaultUrl: string, withVersion = true): SecretProperties {
  const properties: SecretProperties = objectProperties(stored, vaultUrl, "secrets", withVersion ? stored.version : undefined);
  if (stored.contentType !== undefined) properties.contentType = stored.contentType;
  return properties;
}

export function toDeletedSecretProperties(stored: StoredDeletedSecret, vaultUrl: string): DeletedSecretProperties {
  return { ...toSecretProperties(stored, vaultUrl, false), ...deletionOf(stored, vaultUrl, "secrets") };
}
