import type { SecretStr } from "./secret-str.js";

/**
 * Key Vault's deletion recovery levels (docs/keyvault-wire.md §8). Our local vault always reports
 * `Recoverable+Purgeable` (90 days) or `CustomizedRecoverable+Purgeable` (7-89 days).
 */
export type RecoveryLevel =
  | "Purgeable"
  | "Recoverable+Purgeable"
  | "Recoverable"
  | "Recoverable+ProtectedSubscription"
  | "CustomizedRecoverable+Purgeable"
  | "CustomizedRecoverable"
  | "CustomizedRecoverable+ProtectedSubscription";

/**
 * What every kind's version shares (secrets, keys, certificates): its name and ids, attributes,
 * tags and deletion-recovery facts. Each kind's properties extend it with their own members.
 */
export interface ObjectProperties {
  /** The name as stored (Key Vault names compare case-insensitively). */
  name: string;
  /** 32 lowercase hex characters; absent on list items that name an object, not a version. */
  version?: string | undefined;
  /** `https://vault/{kind}/name/version`, or `local://path/{kind}/name/version` for the embedded store. */
  id: string;
  /** The vault's URL (or `local://path`). */
  vaultUrl: string;
  enabled: boolean;
  // `| undefined`: a caller building one (a test, a mapping) may spell "absent" as undefined.
  notBefore?: Date | undefined;
  expiresOn?: Date | undefined;
  createdOn: Date;
  updatedOn: Date;
  tags: Record<string, string>;
  recoveryLevel?: RecoveryLevel;
  recoverableDays?: number;
  /** True for a key or secret that backs a certificate. */
  managed?: boolean;
}

/** Everything about one version of a secret except its value. Mirrors the SDK's `SecretProperties`. */
export interface SecretProperties extends ObjectProperties {
  contentType?: string | undefined;
}

/** A secret's properties and its value, as read. `value` is null when the secret holds an empty value. */
export interface SecretBundle {
  properties: SecretProperties;
  value: SecretStr | null;
}

/** A soft-deleted secret: the latest version's properties plus the deletion facts. */
export interface DeletedSecretProperties extends SecretProperties {
  /** `https://vault/deletedsecrets/name`: what recover and purge address. */
  recoveryId: string;
  deletedOn: Date;
  scheduledPurgeDate: Date;
}

/** Attributes one may give when writing a new version. */
export interface SetSecretOptions {
  contentType?: string;
  tags?: Record<string, string>;
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
}

/**
 * A change to one version's properties. Absent members are left as they are (Key Vault's PATCH
 * cannot clear a date or a content type); tags, when given, replace the whole set.
 */
export interface SecretPropertiesUpdate {
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  contentType?: string;
  tags?: Record<string, string>;
}
