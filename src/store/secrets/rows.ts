import type { Retention } from "../retention.js";
import { tagsOf } from "../row-text.js";
import type { StoredDeletedSecret, StoredSecret } from "../types.js";

/** One version as stored; `value` is sealed (see cipher.ts). */
export interface VersionFields {
  version: string;
  value: Uint8Array;
  content_type: string | null;
  /** JSON object text, or null for no tags. */
  tags: string | null;
  enabled: number;
  nbf: number | null;
  exp: number | null;
  created: number;
  updated: number;
}

/** A secrets row joined with one of its versions, as the queries select it. */
export interface VersionRow extends VersionFields {
  secret_id: number;
  seq: number;
  name: string;
  name_key: string;
  deleted_date: number | null;
  scheduled_purge_date: number | null;
  /** 1 for a certificate's secret (absent in rows built before the write). */
  managed?: number;
}

/** A {@link VersionRow} without the sealed value, as listings select it. */
export type PropertiesRow = Omit<VersionRow, "value">;

export function toStored(row: PropertiesRow, retention: Retention): StoredSecret {
  const stored: StoredSecret = {
    name: row.name,
    version: row.version,
    enabled: row.enabled === 1,
    created: row.created,
    updated: row.updated,
    tags: tagsOf(row.tags),
    recoveryLevel: retention.recoveryLevel,
    recoverableDays: retention.recoverableDays,
  };
  if (row.nbf !== null) stored.notBefore = row.nbf;
  if (row.exp !== null) stored.expiresOn = row.exp;
  if (row.content_type !== null) stored.contentType = row.content_type;
  if (row.managed === 1) stored.managed = true;
  return stored;
}

export function toStoredDeleted(row: PropertiesRow, retention: Retention): StoredDeletedSecret {
  return {
    ...toStored(row, retention),
    deletedDate: row.deleted_date ?? 0,
    scheduledPurgeDate: row.scheduled_purge_date ?? 0,
  };
}

/** Dates in Unix seconds, as the wire and the table keep them. */
export function toSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
