import type { KeyRotationPolicy } from "../../core/key-types.js";
import { encodeBase64Url } from "../../crypto/base64url.js";
import type { JsonWebKey } from "../../crypto/types.js";
import type { StoredCryptoResult, StoredDeletedKey, StoredKey } from "../../store/keys/types.js";
import { attributesJson, COLLECTIONS, deletionJson, objectId, type AttributesJson, type DeletionJson } from "../wire-common.js";

/**
 * The JSON shapes of Key Vault's keys API (docs/keyvault-wire.md §9), built from stored records.
 * Pure. A key answer has no top-level `id`: the SDK derives id, name, version and vaultUrl from
 * `key.kid` (or, in lists, the item's `kid`), so those must be ids of this origin.
 */

export interface KeyAttributesJson extends AttributesJson {
  exportable: boolean;
}

export interface KeyItemJson {
  kid: string;
  attributes: KeyAttributesJson;
  tags?: Record<string, string>;
  managed?: true;
}

export interface KeyBundleJson {
  key: JsonWebKey;
  attributes: KeyAttributesJson;
  tags?: Record<string, string>;
  managed?: true;
}

export type DeletedKeyBundleJson = KeyBundleJson & DeletionJson;
export type DeletedKeyItemJson = KeyItemJson & DeletionJson;

/** `https://host/keys/name[/version]`. */
export function keyId(origin: string, name: string, version?: string): string {
  return objectId(origin, COLLECTIONS.key.live, name, version);
}

function attributes(k: StoredKey): KeyAttributesJson {
  return { ...attributesJson(k), exportable: k.exportable };
}

/** Tags left out when empty and `managed` only when true, as the real replies do. */
function extras(k: StoredKey): Pick<KeyBundleJson, "tags" | "managed"> {
  const out: Pick<KeyBundleJson, "tags" | "managed"> = {};
  if (Object.keys(k.tags).length > 0) out.tags = k.tags;
  if (k.managed) out.managed = true;
  return out;
}

/**
 * The public JWK with `kid` first, as the service writes it. Private members are dropped here too,
 * whatever the store handed over: a reply is the last place one could slip out.
 */
function publicKeyJson(origin: string, k: StoredKey): JsonWebKey {
  const { d: _d, dp: _dp, dq: _dq, qi: _qi, p: _p, q: _q, k: _k, key_hsm: _hsm, kid: _kid, ...pub } = k.publicJwk;
  const jwk: JsonWebKey = { kid: keyId(origin, k.name, k.version), ...pub, kty: k.kty };
  if (k.keyOps !== undefined) jwk.key_ops = [...k.keyOps];
  return jwk;
}

/** KeyBundle: the versioned `kid` inside the public JWK. */
export function keyBundle(origin: string, k: StoredKey): KeyBundleJson {
  return { key: publicKeyJson(origin, k), attributes: attributes(k), ...extras(k) };
}

/** KeyItem: the base `kid` in `/keys`, the versioned one in `/keys/{n}/versions`. No key material. */
export function keyItem(origin: string, k: StoredKey, versioned: boolean): KeyItemJson {
  return { kid: keyId(origin, k.name, versioned ? k.version : undefined), attributes: attributes(k), ...extras(k) };
}

function deletion(origin: string, k: StoredDeletedKey): DeletionJson {
  return deletionJson(origin, COLLECTIONS.key.deleted, k);
}

/** DeletedKeyBundle: the latest version's bundle plus recoveryId (the delete poller needs it). */
export function deletedKeyBundle(origin: string, k: StoredDeletedKey): DeletedKeyBundleJson {
  return { ...keyBundle(origin, k), ...deletion(origin, k) };
}

export function deletedKeyItem(origin: string, k: StoredDeletedKey): DeletedKeyItemJson {
  return { ...keyItem(origin, k, false), ...deletion(origin, k) };
}

/** encrypt / decrypt / wrapkey / unwrapkey / sign: `{"kid", "value", "iv"?, "tag"?, "aad"?}`, bytes base64url. */
export function cryptoResultJson(origin: string, name: string, r: StoredCryptoResult): Record<string, string> {
  const out: Record<string, string> = { kid: keyId(origin, name, r.version), value: encodeBase64Url(r.result) };
  if (r.iv !== undefined) out.iv = encodeBase64Url(r.iv);
  if (r.authenticationTag !== undefined) out.tag = encodeBase64Url(r.authenticationTag);
  if (r.additionalAuthenticatedData !== undefined) out.aad = encodeBase64Url(r.additionalAuthenticatedData);
  return out;
}

export interface RotationPolicyJson {
  id: string;
  lifetimeActions: { trigger: { timeAfterCreate?: string; timeBeforeExpiry?: string }; action: { type: string } }[];
  attributes: { expiryTime?: string; created?: number; updated?: number };
}

const seconds = (d: Date | undefined): number | undefined => (d === undefined ? undefined : Math.floor(d.getTime() / 1000));

/** The rotation policy in Key Vault's wire names: `trigger` / `action.type`, times in Unix seconds. */
export function rotationPolicyJson(origin: string, name: string, p: KeyRotationPolicy): RotationPolicyJson {
  const attributes: RotationPolicyJson["attributes"] = {};
  if (p.expiresIn !== undefined) attributes.expiryTime = p.expiresIn;
  const created = seconds(p.createdOn);
  const updated = seconds(p.updatedOn);
  if (created !== undefined) attributes.created = created;
  if (updated !== undefined) attributes.updated = updated;
  return {
    id: `${keyId(origin, name)}/rotationpolicy`,
    lifetimeActions: p.lifetimeActions.map((a) => {
      const trigger: RotationPolicyJson["lifetimeActions"][number]["trigger"] = {};
      if (a.timeAfterCreate !== undefined) trigger.timeAfterCreate = a.timeAfterCreate;
      if (a.timeBeforeExpiry !== undefined) trigger.timeBeforeExpiry = a.timeBeforeExpiry;
      return { trigger, action: { type: a.action } };
    }),
    attributes,
  };
}
