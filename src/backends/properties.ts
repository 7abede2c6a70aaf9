import type { DeletedSecretProperties, SecretProperties } from "../core/types.js";
import type { StoredDeletedSecret, StoredSecret } from "../store/types.js";

const date = (seconds: number): Date => new Date(seconds * 1000);

/**
 * A stored version as the public model. `withVersion: false` gives what Key Vault's secret list
 * gives (the secret, not a version), so both backends answer `listSecrets` alike.
 */
export function toSecretProperties(stored: StoredSecret, vaultUrl: string, withVersion = true): SecretProperties {
  const base = `${vaultUrl}/secrets/${stored.name}`;
  const properties: SecretProperties = {
    name: stored.name,
    id: withVersion ? `${base}/${stored.version}` : base,
    vaultUrl,
    enabled: stored.enabled,
    createdOn: date(stored.created),
    updatedOn: date(stored.updated),
    tags: { ...stored.tags },
    recoveryLevel: stored.recoveryLevel,
    recoverableDays: stored.recoverableDays,
  };
  if (withVersion) properties.version = stored.version;
  if (stored.notBefore !== undefined) properties.notBefore = date(stored.notBefore);
  if (stored.expiresOn !== undefined) properties.expiresOn = date(stored.expiresOn);
  if (stored.contentType !== undefined) properties.contentType = stored.contentType;
  return properties;
}

export function toDeletedSecretProperties(stored: StoredDeletedSecret, vaultUrl: string): DeletedSecretProperties {
  return {
    ...toSecretProperties(stored, vaultUrl, false),
    recoveryId: `${vaultUrl}/deletedsecrets/${stored.name}`,
    deletedOn: date(stored.deletedDate),
    scheduledPurgeDate: date(stored.scheduledPurgeDate),
  };
}
