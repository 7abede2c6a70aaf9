import { InvalidValueError, type ObjectKind } from "../core/errors.js";
import { keyId, type BackupKeys } from "./backup-key.js";
import { open, seal } from "./cipher.js";

/** Key Vault's code for a blob it cannot read (docs/keyvault-wire.md §5.2); its message is fixed, see server/errors.ts. */
export const MALFORMED_BACKUP = "Malformed backup blob";
const KEY_ID_BYTES = 8;
/** Key Vault refuses to back up an object with more versions than this. */
export const MAX_BACKUP_VERSIONS = 500;

/** How one kind frames its backups: a magic line that names the kind and format, and the AAD its payload is sealed under. */
export interface BlobFormat {
  magic: Buffer;
  aad: string;
}

/**
 * Magic + id of the backup key (8) + AES-256-GCM of the JSON payload under the installation's
 * backup key (see backup-key.ts): any vault that has that key can restore it, whatever its own
 * vault key, like Key Vault's "same subscription and geography"; any changed byte fails
 * authentication. Each kind has its own magic and AAD, so a key's blob never restores as a secret.
 */
export function packBlob(keys: BackupKeys, format: BlobFormat, payload: unknown): Buffer {
  const key = keys.sealing();
  return Buffer.concat([format.magic, keyId(key), seal(key, Buffer.from(JSON.stringify(payload), "utf8"), format.aad)]);
}

/**
 * The parsed JSON payload of a blob made by {@link packBlob}, or of one in `legacy` format
 * (sealed with the vault's own key, no key id). The caller checks the payload's shape.
 */
export function unpackBlob(keys: BackupKeys, format: BlobFormat, blob: Uint8Array, legacy?: BlobFormat): unknown {
  if (!(blob instanceof Uint8Array)) throw malformedBackup();
  const bytes = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  let key: Buffer;
  let sealed: Buffer;
  let aad: string;
  if (startsWith(bytes, format.magic) && bytes.length > format.magic.length + KEY_ID_BYTES) {
    const wanted = bytes.subarray(format.magic.length, format.magic.length + KEY_ID_BYTES);
    const own = keys.existing();
    if (!own || !keyId(own).equals(wanted)) throw foreign(own !== undefined);
    [key, sealed, aad] = [own, bytes.subarray(format.magic.length + KEY_ID_BYTES), format.aad];
  } else if (legacy && startsWith(bytes, legacy.magic) && bytes.length > legacy.magic.length) {
    [key, sealed, aad] = [keys.vaultKey, bytes.subarray(legacy.magic.length), legacy.aad];
  } else {
    throw malformedBackup();
  }
  try {
    return JSON.parse(open(key, sealed, aad).toString("utf8"));
  } catch {
    throw malformedBackup();
  }
}

function startsWith(bytes: Buffer, magic: Buffer): boolean {
  return bytes.length >= magic.length && bytes.subarray(0, magic.length).equals(magic);
}

export function malformedBackup(): InvalidValueError {
  return new InvalidValueError(
    "Backup blob contains invalid or corrupt version: it is damaged, or not an orbitra backup of this kind of object (a first-format backup restores only where its vault key is); nothing was restored.",
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

/** Refuses a backup of more versions than Key Vault backs up (`count` may be one over, from a LIMIT of MAX + 1). */
export function assertBackupSize(kind: ObjectKind, name: string, count: number): void {
  if (count > MAX_BACKUP_VERSIONS) {
    throw new InvalidValueError(`The ${kind} ${name} has more than ${MAX_BACKUP_VERSIONS} versions; Key Vault cannot back up a ${kind} with that many.`, {
      kind,
      objectName: name,
      statusCode: 400,
      serviceCode: "BadParameter",
    });
  }
}
