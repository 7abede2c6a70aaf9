import type { SecretStr } from "../../core/secret-str.js";
import type { StoredDeletedSecret, StoredSecret } from "../../store/types.js";
import { attributesJson, COLLECTIONS, deletionJson, objectId, type AttributesJson, type DeletionJson } from "../wire-common.js";

/**
 * The JSON shapes of Key Vault's secrets API (docs/keyvault-wire.md §7), built from stored records. Pure:
 * `origin` is `https://host[:port]` as the request named it, because the SDK derives vaultUrl,
 * name and version from the ids we return (§2).
 */

/** The attributes of a secret version: the shared shape (wire-common.ts). */
export type SecretAttributesJson = AttributesJson;

export interface SecretItemJson {
  id: string;
  attributes: SecretAttributesJson;
  contentType?: string;
  tags?: Record<string, string>;
  /** A certificate's secret. */
  managed?: true;
}

export interface SecretBundleJson extends SecretItemJson {
  value?: string;
  /** A certificate's secret names the certificate's key (same name and version, §10.4). */
  kid?: string;
}

export type DeletedSecretBundleJson = SecretBundleJson & DeletionJson;
export type DeletedSecretItemJson = SecretItemJson & DeletionJson;

/** `https://host/secrets/name[/version]`. */
export function secretId(origin: string, name: string, version?: string): string {
  return objectId(origin, COLLECTIONS.secret.live, name, version);
}

function item(s: StoredSecret, id: string): SecretItemJson {
  const out: SecretItemJson = { id, attributes: attributesJson(s) };
  if (s.contentType !== undefined) out.contentType = s.contentType;
  // Left out when empty, as in the real SetSecret reply.
  if (Object.keys(s.tags).length > 0) out.tags = s.tags;
  if (s.managed) out.managed = true;
  return out;
}

/** SecretBundle: always the versioned id. `value` absent for update, recover and restore replies, as Key Vault does. */
export function secretBundle(origin: string, s: StoredSecret, value?: string): SecretBundleJson {
  const bundle: SecretBundleJson = item(s, secretId(origin, s.name, s.version));
  if (s.managed) bundle.kid = objectId(origin, COLLECTIONS.key.live, s.name, s.version);
  return value === undefined ? bundle : { value, ...bundle };
}

/**
 * A read's JSON text, serialized once per stored object and origin. The store's read cache
 * (store/read-cache.ts) hands back the same StoredSecret object, with the same value, for as long
 * as the secret is unchanged, so its text can be kept with it: weakly, so it goes when the cache
 * lets the object go. Serializing was ~1 µs of a cached GET's ~20.
 */
const serialized = new WeakMap<StoredSecret, Map<string, string>>();
const MAX_ORIGINS = 8;

export function secretBundleText(origin: string, s: StoredSecret, value: SecretStr): string {
  let byOrigin = serialized.get(s);
  const hit = byOrigin?.get(origin);
  if (hit !== undefined) return hit;
  const text = JSON.stringify(secretBundle(origin, s, value.reveal()));
  if (!byOrigin) serialized.set(s, (byOrigin = new Map()));
  // A client can name the server by any Host it likes; a few are kept, not one per spelling.
  if (byOrigin.size < MAX_ORIGINS) byOrigin.set(origin, text);
  return text;
}

/** SecretItem: the base id in `/secrets`, the versioned id in `/secrets/{n}/versions`. Never a value. */
export function secretItem(origin: string, s: StoredSecret, versioned: boolean): SecretItemJson {
  return item(s, secretId(origin, s.name, versioned ? s.version : undefined));
}

function deletion(origin: string, s: StoredDeletedSecret): DeletionJson {
  return deletionJson(origin, COLLECTIONS.secret.deleted, s);
}

/** DeletedSecretBundle: the latest version's bundle (no value) plus recoveryId, without which the SDK's delete poller stops at once. */
export function deletedSecretBundle(origin: string, s: StoredDeletedSecret): DeletedSecretBundleJson {
  return { ...secretBundle(origin, s), ...deletion(origin, s) };
}

/** DeletedSecretItem: the base id (no version), plus the deletion facts. */
export function deletedSecretItem(origin: string, s: StoredDeletedSecret): DeletedSecretItemJson {
  return { ...secretItem(origin, s, false), ...deletion(origin, s) };
}
