import { assertValidName } from "../../core/rules.js";
import type { BackupKeys } from "../backup-key.js";
import { malformedBackup, packBlob, unpackBlob, type BlobFormat } from "../sealed-blob.js";
import { VERSION_ID } from "../versions.js";
import type { CertificateVersionFields } from "./queries.js";

/** The frame every kind's backups share (sealed-blob.ts), with the certificates' own magic and AAD. */
const FORMAT: BlobFormat = { magic: Buffer.from("ORBITRA-CERTIFICATE-BACKUP-V1\n", "utf8"), aad: "orbitra-certificate-backup-v1" };

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
  return packBlob(keys, FORMAT, payload);
}

export function unpackCertificateBackup(keys: BackupKeys, blob: Uint8Array): CertificateBackupPayload {
  const payload = unpackBlob(keys, FORMAT, blob);
  if (!isPayload(payload)) throw malformedBackup();
  return payload;
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
