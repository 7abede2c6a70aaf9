import { assertValidName, assertValidTags } from "../../core/rules.js";
import { parseKeyOps } from "../../crypto/jwk-import.js";
import type { KeyMaterial } from "../../crypto/key-material.js";
import { privateKeyFromBytes } from "../../crypto/private-form.js";
import type { BackupKeys } from "../backup-key.js";
import { assertBackupSize, malformedBackup, MAX_BACKUP_VERSIONS, packBlob, unpackBlob, type BlobFormat } from "../sealed-blob.js";
import { VERSION_ID } from "../versions.js";
import { checkPolicy } from "./rotation-policy.js";
import type { KeyVersionFields, KeyVersionRow } from "./rows.js";

const FORMAT: BlobFormat = { magic: Buffer.from("ORBITRA-KEY-BACKUP-V1\n", "utf8"), aad: "orbitra-key-backup-v1" };

/** A version's columns that its material does not decide. */
export type VersionAttributeFields = Omit<KeyVersionFields, "kty" | "key_size" | "crv" | "public_jwk" | "private">;

/** A version as the blob keeps it: its attribute columns, and its private form (base64url) in the clear inside the sealed blob. */
interface BackupVersion extends VersionAttributeFields {
  private: string;
}

interface BackupPayload {
  name: string;
  /** The rotation policy's stored JSON, or null. */
  rotationPolicy: string | null;
  /** Oldest first, the order they are restored in, so "latest" comes out the same. */
  versions: BackupVersion[];
}

export interface KeyBackup {
  name: string;
  rotationPolicy: string | null;
  /** Public members, type and size are derived anew from the material on restore, not trusted from the blob. */
  versions: { material: KeyMaterial; fields: VersionAttributeFields }[];
}

/** One blob for every version (see sealed-blob.ts); `open` unseals a row's private form, zeroed here once copied. */
export function packKeyBackup(
  keys: BackupKeys,
  name: string,
  rotationPolicy: string | null,
  rows: KeyVersionRow[],
  open: (row: KeyVersionRow) => Buffer,
): Buffer {
  assertBackupSize("key", name, rows.length);
  const versions = rows.map((row): BackupVersion => {
    const { version, key_ops, tags, enabled, nbf, exp, exportable, managed, created, updated } = row;
    const bytes = open(row);
    const form = bytes.toString("base64url");
    bytes.fill(0);
    return { version, private: form, key_ops, tags, enabled, nbf, exp, exportable, managed, created, updated };
  });
  return packBlob(keys, FORMAT, { name, rotationPolicy, versions } satisfies BackupPayload);
}

export function unpackKeyBackup(keys: BackupKeys, blob: Uint8Array): KeyBackup {
  const payload = unpackBlob(keys, FORMAT, blob) as Partial<BackupPayload> | null;
  // Authenticated, so written by a vault with our backup key; still checked, since that vault may
  // have been another orbitra version, and a bad row must not get half-way into the table.
  try {
    if (typeof payload !== "object" || payload === null || !Array.isArray(payload.versions)) throw malformedBackup();
    if (payload.versions.length === 0 || payload.versions.length > MAX_BACKUP_VERSIONS) throw malformedBackup();
    assertValidName(payload.name, "key");
    const rotationPolicy = payload.rotationPolicy ?? null;
    if (rotationPolicy !== null) checkPolicy(JSON.parse(rotationPolicy));
    const seen = new Set<string>();
    const versions = (payload.versions as unknown[]).map((v) => {
      if (!isVersion(v) || seen.has(v.version)) throw malformedBackup();
      seen.add(v.version);
      const { private: form, ...fields } = v;
      return { material: privateKeyFromBytes(Buffer.from(form, "base64url")), fields };
    });
    return { name: payload.name, rotationPolicy, versions };
  } catch {
    throw malformedBackup();
  }
}

function isVersion(value: unknown): value is BackupVersion {
  const v = value as Partial<BackupVersion> | null;
  if (typeof v !== "object" || v === null) return false;
  const seconds = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  const optionalSeconds = (n: unknown) => n === null || seconds(n);
  const bit = (n: unknown) => n === 0 || n === 1;
  if (typeof v.version !== "string" || !VERSION_ID.test(v.version) || typeof v.private !== "string") return false;
  if (v.key_ops !== null && (typeof v.key_ops !== "string" || parseKeyOps(JSON.parse(v.key_ops)) === undefined)) return false;
  if (v.tags !== null) {
    if (typeof v.tags !== "string") return false;
    assertValidTags(JSON.parse(v.tags));
  }
  return bit(v.enabled) && bit(v.exportable) && bit(v.managed) && optionalSeconds(v.nbf) && optionalSeconds(v.exp) && seconds(v.created) && seconds(v.updated);
}
