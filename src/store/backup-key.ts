import { createHash } from "node:crypto";
import { createKeyFile, keyFromEnv, readKeyFile } from "./vault-key.js";

/**
 * Where the key that seals backup blobs comes from: `ORBITRA_BACKUP_KEY` (base64 of 32 bytes),
 * else `keyFile`, created 0600 on the first backup. Callers point every vault of an installation
 * at one file (`$ORBITRA_HOME/backup.key`), so a backup restores into any of them whatever their
 * own vault keys, as Key Vault restores into any vault of the same subscription and geography;
 * the same variable on two machines makes them one "geography".
 */
export interface BackupKeySource {
  keyFile: string;
  env: NodeJS.ProcessEnv;
}

export interface BackupKeys {
  /** The key new backups are sealed with, made on first use. */
  sealing(): Buffer;
  /** The key a backup can be opened with, if this installation has one. */
  existing(): Buffer | undefined;
  /** What blobs of the first format were sealed with: the vault's own key. */
  vaultKey: Buffer;
}

export function backupKeys(source: BackupKeySource, vaultKey: Buffer): BackupKeys {
  const existing = () => keyFromEnv(source.env, "ORBITRA_BACKUP_KEY") ?? readKeyFile(source.keyFile);
  return {
    sealing: () => existing() ?? createKeyFile(source.keyFile),
    existing,
    vaultKey,
  };
}

/** 8 bytes that name a key without giving it away: a blob says which key it needs, so "another installation's" and "damaged" are told apart. */
export function keyId(key: Buffer): Buffer {
  return createHash("sha256").update("orbitra-backup-key-id\n").update(key).digest().subarray(0, 8);
}
