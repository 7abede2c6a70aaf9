import { InvalidValueError } from "../core/errors.js";
import { open, seal } from "./cipher.js";

const MAGIC = Buffer.from("ORBITRA-SECRET-BACKUP-V1\n", "utf8");
const AAD = "orbitra-secret-backup";

export interface BackupVersion {
  version: string;
  value: string;
  contentType: string | null;
  tags: string | null;
  enabled: number;
  nbf: number | null;
  exp: number | null;
  created: number;
  updated: number;
}

export interface BackupPayload {
  name: string;
  versions: BackupVersion[];
}

/** Sealed with the vault key: only a vault holding the same key can read it, as in Key Vault's "same subscription". */
export function packBackup(key: Uint8Array, payload: BackupPayload): Buffer {
  return Buffer.concat([MAGIC, seal(key, Buffer.from(JSON.stringify(payload), "utf8"), AAD)]);
}

export function unpackBackup(key: Uint8Array, blob: Uint8Array): BackupPayload {
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const malformed = () =>
    new InvalidValueError(
      "The backup blob is malformed or was made by another vault (a different vault key); nothing was restored.",
      { serviceCode: "BadParameter" },
    );
  if (bytes.length <= MAGIC.length || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw malformed();
  let payload: BackupPayload;
  try {
    payload = JSON.parse(open(key, bytes.subarray(MAGIC.length), AAD).toString("utf8")) as BackupPayload;
  } catch {
    throw malformed();
  }
  if (typeof payload?.name !== "string" || !Array.isArray(payload.versions) || payload.versions.length === 0) {
    throw malformed();
  }
  return payload;
}
