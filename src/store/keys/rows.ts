import type { CurveName, JsonWebKey, KeyOperation, KeyType } from "../../crypto/types.js";
import type { Retention } from "../retention.js";
import { tagsOf } from "../row-text.js";
import type { SealedRow } from "../value-seal.js";
import type { StoredDeletedKey, StoredKey } from "./types.js";

/** One key version as stored; `private` is the sealed private JWK (see value-seal.ts). */
export interface KeyVersionFields {
  version: string;
  kty: KeyType;
  /** RSA modulus / AES key bits; null for EC. */
  key_size: number | null;
  crv: CurveName | null;
  /** JSON of the public JWK's key members (`n`, `e` / `crv`, `x`, `y`; `{}` for oct), without kty and key_ops. */
  public_jwk: string;
  private: Uint8Array;
  /** JSON array, or null for "no restriction". */
  key_ops: string | null;
  /** JSON object text, or null for no tags. */
  tags: string | null;
  enabled: number;
  nbf: number | null;
  exp: number | null;
  exportable: number;
  managed: number;
  created: number;
  updated: number;
}

/** A keys row joined with one of its versions, as the queries select it. */
export interface KeyVersionRow extends KeyVersionFields {
  key_id: number;
  seq: number;
  name: string;
  name_key: string;
  deleted_date: number | null;
  scheduled_purge_date: number | null;
}

/** A {@link KeyVersionRow} without the sealed private part, as listings select it. */
export type KeyPropertiesRow = Omit<KeyVersionRow, "private">;

export function keyOpsOf(row: Pick<KeyVersionFields, "key_ops">): KeyOperation[] | undefined {
  return row.key_ops === null ? undefined : (JSON.parse(row.key_ops) as KeyOperation[]);
}

/** The row's sealed private part in the shape ValueSeal opens. */
export function sealedPrivate(row: KeyVersionRow): SealedRow {
  return { value: row.private, name: row.name, name_key: row.name_key, version: row.version };
}

export function toStoredKey(row: KeyPropertiesRow, retention: Retention): StoredKey {
  const keyOps = keyOpsOf(row);
  const publicJwk: JsonWebKey = { kty: row.kty, ...(keyOps === undefined ? {} : { key_ops: keyOps }), ...(JSON.parse(row.public_jwk) as object) };
  const stored: StoredKey = {
    name: row.name,
    version: row.version,
    kty: row.kty,
    publicJwk,
    enabled: row.enabled === 1,
    created: row.created,
    updated: row.updated,
    exportable: row.exportable === 1,
    managed: row.managed === 1,
    tags: tagsOf(row.tags),
    recoveryLevel: retention.recoveryLevel,
    recoverableDays: retention.recoverableDays,
  };
  if (keyOps !== undefined) stored.keyOps = keyOps;
  if (row.key_size !== null) stored.keySize = row.key_size;
  if (row.crv !== null) stored.crv = row.crv;
  if (row.nbf !== null) stored.notBefore = row.nbf;
  if (row.exp !== null) stored.expiresOn = row.exp;
  return stored;
}

export function toStoredDeletedKey(row: KeyPropertiesRow, retention: Retention): StoredDeletedKey {
  return { ...toStoredKey(row, retention), deletedDate: row.deleted_date ?? 0, scheduledPurgeDate: row.scheduled_purge_date ?? 0 };
}
