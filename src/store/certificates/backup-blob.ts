import { InvalidValueError } from "../../core/errors.js";
import { assertValidName } from "../../core/rules.js";
import { keyId, type BackupKeys } from "../backup-key.js";
import { open, seal } from "../cipher.js";
import { VERSION_ID } from "../versions.js";
import type { CertificateVersionFields } from "./queries.js";

/** magic | id of the backup key (8) | AES-256-GCM of the JSON payload: the secrets' format, with its own magic and AAD. */
const MAGIC = Buffer.from("ORBITRA-CERTIFICATE-BACKUP-V1\n", "utf8");
const AAD = "orbitra-certificate-backup-v1";
const KEY_ID_BYTES = 8;
const MALFORMED_BACKUP = "Malformed backup blob";

export interface CertificateBackupVersion extends Omit<CertificateVersionFields, "cer" | "private_key"> {
  /** std base64 DER. */
  cer: string;
  /** PKCS#8 PEM, in the clear inside the sealed blob. */
  privateKey: string;
}

export interface CertificateBackupPayload {
  name: string;
  /** The stored policy JSON text. */
  policy: string;
  /** `vault.keys`' own backup of the managed key (std base64), which keeps the version ids. */
  key: string;
  /** Oldest first. */
  versions: CertificateBackupVersion[];
}

export function packCertificateBackup(keys: BackupKeys, payload: CertificateBackupPayload): Buffer {
  const key = keys.sealing();
  return Buffer.concat([MAGIC, keyId(key), seal(key, Buffer.from(JSON.stringify(payload), "utf8"), AAD)]);
}

export function unpackCertificateBackup(keys: BackupKeys, blob: Uint8Array): CertificateBackupPayload {
  if (!(blob instanceof Uint8Array)) throw malformed();
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (bytes.length <= MAGIC.length + KEY_ID_BYTES || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw malformed();
  const own = keys.existing();
  if (!own || !keyId(own).equals(bytes.subarray(MAGIC.length, MAGIC.length + KEY_ID_BYTES))) {
    throw malformed("it was sealed with another installation's backup key (set ORBITRA_BACKUP_KEY to that key)");
  }
  let payload: unknown;
  try {
    payload = JSON.parse(open(own, bytes.subarray(MAGIC.length + KEY_ID_BYTES), AAD).toString("utf8"));
  } catch {
    throw malformed();
  }
  if (!isPayload(payload)) throw malformed();
  return payload;
}

function malformed(why = "it is damaged, or not an orbitra certificate backup"): InvalidValueError {
  return new InvalidValueError(`Backup blob contains invalid or corrupt version: ${why}; nothing was restored.`, {
    kind: "certificate",
    statusCode: 400,
    serviceCode: MALFORMED_BACKUP,
  });
}

/** Authenticated, so written by a vault with our key; still checked, so a bad row never gets half-way in. */
function isPayload(value: unknown): value is CertificateBackupPayload {
  const p = value as Partial<CertificateBackupPayload> | null;
  if (typeof p !== "object" || p === null || typeof p.policy !== "string" || typeof p.key !== "string") return false;
  if (!Array.isArray(p.versions) || p.versions.length === 0) return false;
  try {
    assertValidName(p.name, "certificate");
  } catch {
    return false;
  }
  const seconds = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 0;
  return p.versions.every((v: Partial<CertificateBackupVersion>) =>
    typeof v.version === "string" && VERSION_ID.test(v.version) && typeof v.cer === "string" && typeof v.privateKey === "string" &&
    (v.chain === null || typeof v.chain === "string") && (v.tags === null || typeof v.tags === "string") &&
    (v.enabled === 0 || v.enabled === 1) && seconds(v.nbf) && seconds(v.exp) && seconds(v.created) && seconds(v.updated),
  );
}
