import type {
  DeletedKey as SdkDeletedKey,
  JsonWebKey as SdkJsonWebKey,
  KeyProperties as SdkKeyProperties,
  KeyRotationPolicy as SdkKeyRotationPolicy,
  KeyVaultKey as SdkKeyVaultKey,
} from "@azure/keyvault-keys";
import type { DeletedKey, KeyProperties, KeyRotationPolicy, KeyVaultKey } from "../core/key-types.js";
import { decodeBase64Url, encodeBase64Url } from "../crypto/base64url.js";
import type { CurveName, JsonWebKey, KeyOperation, KeyType } from "../crypto/types.js";
import type { DeletedKeyProperties } from "./keys-backend.js";
import { objectPropertiesFromSdk } from "./sdk-model.js";

/**
 * The SDK's key models as ours and back, pure (the SDK is imported for its types only), like
 * sdk-model.ts for secrets; tested alone in test/backends/sdk-key-model.test.ts. The SDK's JWK holds
 * bytes, ours Key Vault's base64url strings, so `createPublicKey({ key: jwk, format: "jwk" })` takes it.
 */

const BINARY_MEMBERS = ["n", "e", "d", "dp", "dq", "qi", "p", "q", "k", "x", "y"] as const;

/** The SDK's JWK (bytes) as Key Vault's (base64url); `kid` as given. */
export function jwkFromSdk(sdk: SdkJsonWebKey): JsonWebKey {
  const jwk: JsonWebKey = { kty: sdk.kty as KeyType };
  if (sdk.kid !== undefined) jwk.kid = sdk.kid;
  if (sdk.keyOps !== undefined) jwk.key_ops = [...sdk.keyOps] as KeyOperation[];
  if (sdk.crv !== undefined) jwk.crv = sdk.crv as CurveName;
  for (const member of BINARY_MEMBERS) {
    const bytes = sdk[member];
    if (bytes !== undefined) jwk[member] = encodeBase64Url(bytes);
  }
  return jwk;
}

/** Ours as the SDK's, for importKey; a member that is not base64url is refused here, by name. */
export function jwkToSdk(jwk: JsonWebKey): SdkJsonWebKey {
  const sdk: SdkJsonWebKey = { kty: jwk.kty };
  if (jwk.kid !== undefined) sdk.kid = jwk.kid;
  if (jwk.key_ops !== undefined) sdk.keyOps = [...jwk.key_ops];
  if (jwk.crv !== undefined) sdk.crv = jwk.crv;
  for (const member of BINARY_MEMBERS) {
    const text = jwk[member];
    if (text !== undefined) sdk[member] = new Uint8Array(decodeBase64Url(text, member));
  }
  return sdk;
}

/** `withVersion: false` for `listKeys` items, which name the key, not a version (as the local backend). */
export function keyPropertiesFromSdk(p: SdkKeyProperties, withVersion = true): KeyProperties {
  const properties: KeyProperties = objectPropertiesFromSdk(p, "keys", withVersion);
  if (p.exportable !== undefined) properties.exportable = p.exportable;
  return properties;
}

export function keyFromSdk(k: SdkKeyVaultKey): KeyVaultKey {
  const properties = keyPropertiesFromSdk(k.properties);
  const key = k.key ? jwkFromSdk(k.key) : { kty: (k.keyType ?? "RSA") as KeyType };
  const keyOperations = (k.keyOperations ?? k.key?.keyOps ?? []) as KeyOperation[];
  return { properties, key, keyType: (k.keyType ?? key.kty) as KeyType, keyOperations: [...keyOperations] };
}

type SdkDeletion = SdkDeletedKey["properties"];

function deletionFromSdk(p: SdkDeletion) {
  return {
    recoveryId: p.recoveryId ?? `${p.vaultUrl}/deletedkeys/${p.name}`,
    deletedOn: p.deletedOn ?? new Date(0),
    scheduledPurgeDate: p.scheduledPurgeDate ?? new Date(0),
  };
}

export function deletedKeyFromSdk(d: SdkDeletedKey): DeletedKey {
  return { ...keyFromSdk(d), ...deletionFromSdk(d.properties) };
}

/** A `listDeletedKeys` item: the key's properties (base id) and the deletion facts. */
export function deletedKeyPropertiesFromSdk(d: SdkDeletedKey): DeletedKeyProperties {
  return { ...keyPropertiesFromSdk(d.properties, false), ...deletionFromSdk(d.properties) };
}

/** The SDK's policy as ours: `Rotate` / `Notify` as the model spells them (the SDK reads them case-insensitively). */
export function rotationPolicyFromSdk(p: SdkKeyRotationPolicy): KeyRotationPolicy {
  const policy: KeyRotationPolicy = {
    lifetimeActions: (p.lifetimeActions ?? []).map((a) => ({
      action: a.action.toLowerCase() === "notify" ? "Notify" : "Rotate",
      ...(a.timeAfterCreate !== undefined ? { timeAfterCreate: a.timeAfterCreate } : {}),
      ...(a.timeBeforeExpiry !== undefined ? { timeBeforeExpiry: a.timeBeforeExpiry } : {}),
    })),
  };
  if (p.id !== undefined) policy.id = p.id;
  if (p.expiresIn !== undefined) policy.expiresIn = p.expiresIn;
  if (p.createdOn !== undefined) policy.createdOn = p.createdOn;
  if (p.updatedOn !== undefined) policy.updatedOn = p.updatedOn;
  return policy;
}
