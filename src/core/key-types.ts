import type { CurveName, JsonWebKey, KeyOperation, KeyType } from "../crypto/types.js";
import type { ObjectProperties } from "./types.js";

/**
 * The library's model of Key Vault keys (docs/keyvault-wire.md §9), shared by both backends and
 * the client. Mirrors the SDK's `KeyProperties` / `KeyVaultKey`, except that the JWK keeps Key
 * Vault's base64url strings, so `crypto.createPublicKey({ key: jwk, format: "jwk" })` takes it as is.
 */
export interface KeyProperties extends ObjectProperties {
  /** The private key may leave the vault (export / release). */
  exportable?: boolean | undefined;
}

/** One key version: its properties and its public JWK (`kid` set to the versioned id). */
export interface KeyVaultKey {
  properties: KeyProperties;
  /** Public members only; private members never leave a vault this way. */
  key: JsonWebKey;
  keyType: KeyType;
  /** Empty means the vault placed no restriction. */
  keyOperations: KeyOperation[];
}

/** A soft-deleted key: the latest version plus the deletion facts. */
export interface DeletedKey extends KeyVaultKey {
  /** `https://vault/deletedkeys/name`. */
  recoveryId: string;
  deletedOn: Date;
  scheduledPurgeDate: Date;
}

/** The attributes one may give to a new key version (create, import). */
export interface KeyAttributesInput {
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  exportable?: boolean;
  tags?: Record<string, string>;
  keyOps?: KeyOperation[];
}

export interface CreateKeyOptions extends KeyAttributesInput {
  /** `RSA`, `EC`, `oct` or their `-HSM` forms. */
  keyType: KeyType;
  /** RSA 2048 (default) / 3072 / 4096; oct 128 / 192 / 256 (default 256). */
  keySize?: number;
  /** RSA only; 65537 when absent. */
  publicExponent?: number;
  /** EC only; P-256 when absent. */
  curve?: CurveName;
}

export interface ImportKeyOptions extends Omit<KeyAttributesInput, "keyOps"> {
  /** Key Vault's `Hsm` flag: store the key as `RSA-HSM` / `EC-HSM` / `oct-HSM`. */
  hardwareProtected?: boolean;
}

/** A change to one version: absent members stay; tags and keyOps, when given, replace. */
export interface KeyPropertiesUpdate {
  enabled?: boolean;
  notBefore?: Date;
  expiresOn?: Date;
  tags?: Record<string, string>;
  keyOps?: KeyOperation[];
}

/** One lifetime action of a rotation policy; exactly one trigger (ISO-8601 durations, e.g. `P90D`). */
export interface KeyRotationLifetimeAction {
  action: "Rotate" | "Notify";
  timeAfterCreate?: string;
  timeBeforeExpiry?: string;
}

export interface KeyRotationPolicy {
  /** `https://vault/keys/name/rotationpolicy`; absent for a key that never had one set. */
  id?: string;
  lifetimeActions: KeyRotationLifetimeAction[];
  /** The expiry given to each new version (ISO-8601 duration, at least 28 days). */
  expiresIn?: string;
  createdOn?: Date;
  updatedOn?: Date;
}
