/**
 * The wire helpers every kind shares (docs/keyvault-wire.md §2, §4, §8): object ids, the
 * `attributes` object, the deletion fields. Pure; the kinds' JSON shapes are in routes/*-wire.ts.
 */

/** The path word of each kind's objects and of its deleted ones. */
export const COLLECTIONS = {
  secret: { live: "secrets", deleted: "deletedsecrets" },
  key: { live: "keys", deleted: "deletedkeys" },
  certificate: { live: "certificates", deleted: "deletedcertificates" },
} as const;

export type Collection = (typeof COLLECTIONS)[keyof typeof COLLECTIONS]["live"];

/** What every stored object version has, whatever its kind (store/types.ts); dates in Unix seconds. */
export interface StoredAttributes {
  enabled: boolean;
  notBefore?: number;
  expiresOn?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
}

export interface AttributesJson {
  enabled: boolean;
  nbf?: number;
  exp?: number;
  created: number;
  updated: number;
  recoveryLevel: string;
  recoverableDays: number;
}

/** Unix seconds throughout; nbf/exp are left out when unset, as the real service does. */
export function attributesJson(s: StoredAttributes): AttributesJson {
  const attributes: AttributesJson = {
    enabled: s.enabled,
    created: s.created,
    updated: s.updated,
    recoveryLevel: s.recoveryLevel,
    recoverableDays: s.recoverableDays,
  };
  if (s.notBefore !== undefined) attributes.nbf = s.notBefore;
  if (s.expiresOn !== undefined) attributes.exp = s.expiresOn;
  return attributes;
}

/** `https://host/{collection}/name[/version]`. Names and versions are `0-9a-zA-Z-` already: no escaping needed. */
export function objectId(origin: string, collection: string, name: string, version?: string): string {
  return version === undefined ? `${origin}/${collection}/${name}` : `${origin}/${collection}/${name}/${version}`;
}

export interface DeletionJson {
  recoveryId: string;
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** The fields a deleted object adds; without `recoveryId` the SDK's delete poller stops at once (§8). */
export function deletionJson(origin: string, deletedCollection: string, s: { name: string; deletedDate: number; scheduledPurgeDate: number }): DeletionJson {
  return { recoveryId: `${origin}/${deletedCollection}/${s.name}`, deletedDate: s.deletedDate, scheduledPurgeDate: s.scheduledPurgeDate };
}

export interface ObjectIdentifier {
  /** `https://host[:port]`. */
  vaultUrl: string;
  collection: string;
  name: string;
  version: string | undefined;
}

/**
 * An id as the Azure SDK's `parseKeyVaultIdentifier` reads it: 3 or 4 path segments, the first
 * the collection asked for; so a vault never lives under a path prefix (§2). Undefined when the
 * id is not one of `collection`'s.
 */
export function parseObjectId(id: string, collection: string): ObjectIdentifier | undefined {
  let url: URL;
  try {
    url = new URL(id);
  } catch {
    return undefined;
  }
  const segments = url.pathname.split("/");
  if (segments.length < 3 || segments.length > 4 || segments[1] !== collection || !segments[2]) return undefined;
  return { vaultUrl: `${url.protocol}//${url.host}`, collection, name: segments[2], version: segments[3] || undefined };
}
