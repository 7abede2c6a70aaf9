import type { DeletedSecret as SdkDeletedSecret, SecretProperties as SdkSecretProperties } from "@azure/keyvault-secrets";
import type { DeletedSecretProperties, ObjectProperties, RecoveryLevel, SecretProperties } from "../core/types.js";

/**
 * The SDK's secret models as ours, pure (the SDK is imported for its types only), like the Azure
 * SDK's own transformations.ts; tested alone in test/backends/sdk-model.test.ts. What the SDK
 * leaves out stays out, except what our model requires: ids, dates and `enabled` get Key Vault's
 * meaning of absent.
 */

/** What the SDK's secret, key and certificate properties share. */
export interface SdkObjectProperties {
  name: string;
  vaultUrl: string;
  id?: string | undefined;
  version?: string | undefined;
  enabled?: boolean | undefined;
  notBefore?: Date | undefined;
  expiresOn?: Date | undefined;
  readonly createdOn?: Date | undefined;
  readonly updatedOn?: Date | undefined;
  tags?: Record<string, string> | undefined;
  readonly recoveryLevel?: string | undefined;
  recoverableDays?: number | undefined;
  readonly managed?: boolean | undefined;
}

/**
 * The properties every kind has, from the SDK's: `collection` is the URL segment (`secrets`,
 * `keys`, `certificates`) of the base id; `withVersion: false` for list items, which name the object, not a
 * version (as the local backend does).
 */
export function objectPropertiesFromSdk(p: SdkObjectProperties, collection: string, withVersion = true): ObjectProperties {
  const base = `${p.vaultUrl}/${collection}/${p.name}`;
  const properties: ObjectProperties = {
    name: p.name,
    id: withVersion ? (p.id ?? base) : base,
    vaultUrl: p.vaultUrl,
    enabled: p.enabled ?? true,
    createdOn: p.createdOn ?? new Date(0),
    updatedOn: p.updatedOn ?? p.createdOn ?? new Date(0),
    tags: { ...(p.tags ?? {}) },
  };
  if (withVersion && p.version) properties.version = p.version;
  if (p.notBefore) properties.notBefore = p.notBefore;
  if (p.expiresOn) properties.expiresOn = p.expiresOn;
  if (p.recoveryLevel) properties.recoveryLevel = p.recoveryLevel as RecoveryLevel;
  if (p.recoverableDays !== undefined) properties.recoverableDays = p.recoverableDays;
  if (p.managed) properties.managed = true;
  return properties;
}

/** `withVersion: false` for list items, which name the secret, not a version (as the local backend does). */
export function fromSdk(p: SdkSecretProperties, withVersion = true): SecretProperties {
  const properties: SecretProperties = objectPropertiesFromSdk(p, "secrets", withVersion);
  if (p.contentType !== undefined) properties.contentType = p.contentType;
  return properties;
}

export function fromSdkDeleted(d: SdkDeletedSecret): DeletedSecretProperties {
  return {
    ...fromSdk(d.properties, false),
    recoveryId: d.recoveryId ?? d.properties.recoveryId ?? `${d.properties.vaultUrl}/deletedsecrets/${d.name}`,
    deletedOn: d.deletedOn ?? d.properties.deletedOn ?? new Date(0),
    scheduledPurgeDate: d.scheduledPurgeDate ?? d.properties.scheduledPurgeDate ?? new Date(0),
  };
}
