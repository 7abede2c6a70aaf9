import { dirname, join, resolve } from "node:path";
import { ConfigurationError } from "../core/errors.js";
import { retentionFor, type Retention } from "./retention.js";
import type { Clock } from "./types.js";
import type { BackupKeySource } from "./backup-key.js";
import type { KeySource } from "./vault-key.js";

export interface OpenVaultOptions {
  /** The SQLite file; created 0600 (missing folders 0700) on first use. */
  path: string;
  /** 32-byte AES key; else `ORBITRA_VAULT_KEY` (base64); else `keyFile`. */
  key?: Uint8Array;
  /** Default `<folder of path>/vault.key`: one key per folder. */
  keyFile?: string;
  /**
   * Seals backup blobs (unless ORBITRA_BACKUP_KEY is set); created on the first backup. Default
   * `<folder of path>/backup.key`; the CLI, the library and `vault serve` pass
   * `$ORBITRA_HOME/backup.key`, so backups restore across an installation's vaults.
   */
  backupKeyFile?: string;
  /** Milliseconds since the epoch; default `Date.now`. */
  clock?: Clock;
  /** Soft-delete retention, 7-90 days (Key Vault's range); default 90. */
  recoverableDays?: number;
  /** Where `ORBITRA_VAULT_KEY` is read; default `process.env`. */
  env?: NodeJS.ProcessEnv;
  /**
   * Create the vault when the file does not exist (default true). False: a missing file is a
   * Configuration error (serviceCode VaultNotFound), for reads of a vault the user named.
   */
  create?: boolean;
  /** How long to wait for another process's lock before failing with `Unavailable`; default 5000. */
  busyTimeoutMs?: number;
  /**
   * Keep up to this many decrypted reads in memory until the database changes (see read-cache.ts);
   * for long-lived processes such as the server. Default 0: off.
   */
  readCacheEntries?: number;
  /**
   * Checkpoint the write-ahead log on a worker thread instead of on the writing thread, from the
   * handle's 256th commit on (background-checkpoint.ts): a long-lived writer (the server, an
   * application, a bulk import) gets it, a short CLI run never starts the thread. Default true;
   * false keeps SQLite's own checkpoints throughout.
   */
  backgroundCheckpoint?: boolean;
}

export interface VaultSettings {
  path: string;
  keySource: KeySource;
  backupKeySource: BackupKeySource;
  clock: Clock;
  retention: Retention;
  busyTimeoutMs: number;
  readCacheEntries: number;
  backgroundCheckpoint: boolean;
  create: boolean;
}

/** Checks the options and fills in the defaults; nothing is touched on disk yet. */
export function vaultSettings(options: OpenVaultOptions): VaultSettings {
  if (typeof options?.path !== "string" || options.path === "") throw new ConfigurationError("A vault path is required.");
  const path = resolve(options.path);
  const days = options.recoverableDays ?? 90;
  if (!Number.isInteger(days) || days < 7 || days > 90) {
    throw new ConfigurationError(`recoverableDays must be a whole number from 7 to 90 (Key Vault's range), not ${days}.`);
  }
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  if (!Number.isSafeInteger(busyTimeoutMs) || busyTimeoutMs < 0) {
    throw new ConfigurationError(`busyTimeoutMs must be a whole number of milliseconds, not ${busyTimeoutMs}.`);
  }
  const readCacheEntries = options.readCacheEntries ?? 0;
  if (!Number.isSafeInteger(readCacheEntries) || readCacheEntries < 0) {
    throw new ConfigurationError(`readCacheEntries must be a whole number, not ${readCacheEntries}.`);
  }
  return {
    path,
    readCacheEntries,
    keySource: { key: options.key, keyFile: options.keyFile ?? join(dirname(path), "vault.key"), env: options.env ?? process.env },
    backupKeySource: { keyFile: options.backupKeyFile ?? join(dirname(path), "backup.key"), env: options.env ?? process.env },
    clock: options.clock ?? Date.now,
    retention: retentionFor(days),
    busyTimeoutMs,
    backgroundCheckpoint: options.backgroundCheckpoint !== false,
    create: options.create !== false,
  };
}
