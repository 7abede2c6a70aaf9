import { assertValidName, assertValidTags, assertValidValue, LIMITS } from "../../core/rules.js";
import type { BackupKeys } from "../backup-key.js";
import { malformedBackup, MAX_BACKUP_VERSIONS, packBlob, unpackBlob, type BlobFormat } from "../sealed-blob.js";
import type { VersionFields } from "./rows.js";
import { VERSION_ID } from "../versions.js";

export { MALFORMED_BACKUP, MAX_BACKUP_VERSIONS } from "../sealed-blob.js";
/** The first format: sealed with the vault's own key, so it restored only where that key was. Still read. */
const FORMAT_V1: BlobFormat = { magic: Buffer.from("ORBITRA-SECRET-BACKUP-V1\n", "utf8"), aad: "orbitra-secret-backup" };
/** The current one (see sealed-blob.ts). */
const FORMAT_V2: BlobFormat = { magic: Buffer.from("ORBITRA-SECRET-BACKUP-V2\n", "utf8"), aad: "orbitra-secret-backup-v2" };
/** A version as the blob keeps it: the row's fields (tags as JSON text), the value in the clear, inside the sealed blob. */
export interface BackupVersion extends Omit<VersionFields, "value" | "content_type"> {
  value: string;
  contentType: string | null;
}

export interface BackupPayload {
  name: string;
  /** Oldest first, the order they are restored in, so "latest" comes out the same. */
  versions: BackupVersion[];
}

export function packBackup(keys: BackupKeys, payload: BackupPayload): Buffer {
  return packBlob(keys, FORMAT_V2, payload);
}

export function unpackBackup(keys: BackupKeys, blob: Uint8Array): BackupPayload {
  const payload = unpackBlob(keys, FORMAT_V2, blob, FORMAT_V1);
  // Authenticated, so written by a vault with our key; still checked, since that vault may have
  // been another orbitra version, and a bad row must not get half-way into the table.
  if (!isPayload(payload)) throw malformedBackup();
  return payload;
}

function isPayload(payload: unknown): payload is BackupPayload {
  const p = payload as Partial<BackupPayload> | null;
  if (typeof p !== "object" || p === null || !Array.isArray(p.versions)) return false;
  if (p.versions.length === 0 || p.versions.length > MAX_BACKUP_VERSIONS) return false;
  const seen = new Set<string>();
  try {
    assertValidName(p.name);
    for (const v of p.versions as unknown[]) {
      if (!isVersion(v) || seen.has(v.version)) return false;
      seen.add(v.version);
    }
  } catch {
    return false;
  }
  return true;
}

function isVersion(value: unknown): value is BackupVersion {
  const v = value as Partial<BackupVersion> | null;
  if (typeof v !== "object" || v === null) return false;
  const seconds = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  const optionalSeconds = (n: unknown) => n === null || seconds(n);
  if (typeof v.version !== "string" || !VERSION_ID.test(v.version)) return false;
  assertValidValue(v.value);
  if (v.contentType !== null && (typeof v.contentType !== "string" || v.contentType.length > LIMITS.contentTypeMaxLength)) return false;
  if (v.tags !== null) {
    if (typeof v.tags !== "string") return false;
    assertValidTags(JSON.parse(v.tags));
  }
  return (v.enabled === 0 || v.enabled === 1) && optionalSeconds(v.nbf) && optionalSeconds(v.exp) && seconds(v.created) && seconds(v.updated);
}

export function toBackupVersion(row: VersionFields, value: string): BackupVersion {
  const { version, content_type, tags, enabled, nbf, exp, created, updated } = row;
  return { version, value, contentType: content_type, tags, enabled, nbf, exp, created, updated };
}

/** The table's fields for a restored version, its value sealed anew by the caller. */
export function fromBackupVersion(v: BackupVersion, sealed: Buffer): VersionFields {
  const { version, contentType, tags, enabled, nbf, exp, created, updated } = v;
  return { version, value: sealed, content_type: contentType, tags, enabled, nbf, exp, created, updated };
}
