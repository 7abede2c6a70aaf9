import { InvalidValueError } from "../core/errors.js";
import { assertValidName, assertValidTags, assertValidValue, LIMITS } from "../core/rules.js";
import { open, seal } from "./cipher.js";
import type { VersionFields } from "./rows.js";
import { VERSION_ID } from "./versions.js";

const MAGIC = Buffer.from("ORBITRA-SECRET-BACKUP-V1\n", "utf8");
const AAD = "orbitra-secret-backup";
/** Key Vault refuses to back up a secret with more versions than this. */
export const MAX_BACKUP_VERSIONS = 500;

export interface BackupVersion {
  version: string;
  value: string;
  contentType: string | null;
  /** JSON object text, as the table keeps it, or null. */
  tags: string | null;
  enabled: number;
  nbf: number | null;
  exp: number | null;
  created: number;
  updated: number;
}

export interface BackupPayload {
  name: string;
  /** Oldest first, the order they are restored in, so "latest" comes out the same. */
  versions: BackupVersion[];
}

/**
 * Magic + AES-256-GCM of the JSON payload under the vault key: only a vault holding the same key
 * (the same data folder, or the same ORBITRA_VAULT_KEY) can read it, like Key Vault's "same
 * subscription and geography"; any changed byte fails authentication.
 */
export function packBackup(key: Uint8Array, payload: BackupPayload): Buffer {
  return Buffer.concat([MAGIC, seal(key, Buffer.from(JSON.stringify(payload), "utf8"), AAD)]);
}

export function unpackBackup(key: Uint8Array, blob: Uint8Array): BackupPayload {
  if (!(blob instanceof Uint8Array)) throw malformed();
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length <= MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw malformed();
  let payload: unknown;
  try {
    payload = JSON.parse(open(key, bytes.subarray(MAGIC.length), AAD).toString("utf8"));
  } catch {
    throw malformed();
  }
  // Authenticated, so written by a vault with our key; still checked, since that vault may have
  // been another orbitra version, and a bad row must not get half-way into the table.
  if (!isPayload(payload)) throw malformed();
  return payload;
}

function malformed(): InvalidValueError {
  return new InvalidValueError(
    "The backup blob is malformed or was made by another vault (one with a different vault key); nothing was restored.",
    { statusCode: 400, serviceCode: "BadParameter" },
  );
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
