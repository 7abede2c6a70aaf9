import { InvalidValueError } from "../../core/errors.js";
import { assertValidName, assertValidTags, assertValidValue, LIMITS } from "../../core/rules.js";
import { keyId, type BackupKeys } from "../backup-key.js";
import { open, seal } from "../cipher.js";
import type { VersionFields } from "./rows.js";
import { VERSION_ID } from "../versions.js";

/** The first format: sealed with the vault's own key, so it restored only where that key was. Still read. */
const MAGIC_V1 = Buffer.from("ORBITRA-SECRET-BACKUP-V1\n", "utf8");
const AAD_V1 = "orbitra-secret-backup";
/** The current one: magic | id of the backup key (8) | AES-256-GCM of the JSON payload under it. */
const MAGIC_V2 = Buffer.from("ORBITRA-SECRET-BACKUP-V2\n", "utf8");
const AAD_V2 = "orbitra-secret-backup-v2";
const KEY_ID_BYTES = 8;
/** Key Vault's code for a blob it cannot read (docs/keyvault-wire.md §5.2); its message is fixed, see server/errors.ts. */
export const MALFORMED_BACKUP = "Malformed backup blob";
/** Key Vault refuses to back up a secret with more versions than this. */
export const MAX_BACKUP_VERSIONS = 500;
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

/**
 * Magic + key id + AES-256-GCM of the JSON payload under the installation's backup key (see
 * backup-key.ts): any vault that has that key can restore it, whatever its own vault key, like Key
 * Vault's "same subscription and geography"; any changed byte fails authentication.
 */
export function packBackup(keys: BackupKeys, payload: BackupPayload): Buffer {
  const key = keys.sealing();
  return Buffer.concat([MAGIC_V2, keyId(key), seal(key, Buffer.from(JSON.stringify(payload), "utf8"), AAD_V2)]);
}

export function unpackBackup(keys: BackupKeys, blob: Uint8Array): BackupPayload {
  if (!(blob instanceof Uint8Array)) throw malformed();
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  let key: Buffer;
  let sealed: Buffer;
  let aad: string;
  if (startsWith(bytes, MAGIC_V2) && bytes.length > MAGIC_V2.length + KEY_ID_BYTES) {
    const wanted = bytes.subarray(MAGIC_V2.length, MAGIC_V2.length + KEY_ID_BYTES);
    const own = keys.existing();
    if (!own || !keyId(own).equals(wanted)) throw foreign(own !== undefined);
    [key, sealed, aad] = [own, bytes.subarray(MAGIC_V2.length + KEY_ID_BYTES), AAD_V2];
  } else if (startsWith(bytes, MAGIC_V1) && bytes.length > MAGIC_V1.length) {
    [key, sealed, aad] = [keys.vaultKey, bytes.subarray(MAGIC_V1.length), AAD_V1];
  } else {
    throw malformed();
  }
  let payload: unknown;
  try {
    payload = JSON.parse(open(key, sealed, aad).toString("utf8"));
  } catch {
    throw malformed();
  }
  // Authenticated, so written by a vault with our key; still checked, since that vault may have
  // been another orbitra version, and a bad row must not get half-way into the table.
  if (!isPayload(payload)) throw malformed();
  return payload;
}

function startsWith(bytes: Buffer, magic: Buffer): boolean {
  return bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);
}

function malformed(): InvalidValueError {
  return new InvalidValueError(
    "Backup blob contains invalid or corrupt version: it is damaged, or not an orbitra backup (a first-format backup restores only where its vault key is); nothing was restored.",
    { statusCode: 400, serviceCode: MALFORMED_BACKUP },
  );
}

function foreign(haveKey: boolean): InvalidValueError {
  return new InvalidValueError(
    `Backup blob contains invalid or corrupt version: it was sealed with another installation's backup key${haveKey ? "" : " (this one has none yet)"}. ` +
      "Set ORBITRA_BACKUP_KEY to that key, or copy its $ORBITRA_HOME/backup.key here; nothing was restored.",
    { statusCode: 400, serviceCode: MALFORMED_BACKUP },
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
