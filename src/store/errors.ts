import { ConfigurationError, UnavailableError } from "../core/errors.js";
import { SQLITE_BUSY, SQLITE_CORRUPT, SQLITE_FULL, SQLITE_IOERR, SQLITE_LOCKED, SQLITE_NOTADB, SQLITE_READONLY, sqliteCode } from "./sqlite.js";

/** SQLite gave up waiting for another process's lock: the vault is busy, not broken. */
export function vaultLocked(error: unknown, path: string): UnavailableError {
  return new UnavailableError(
    `The vault file ${path} is locked by another process and stayed locked past the wait limit. Try again; if it persists, look for a stuck orbitra process holding it.`,
    { vault: path, cause: error, serviceCode: VAULT_LOCKED },
  );
}

/** The serviceCode of {@link vaultLocked}'s error: the one `Unavailable` that a retry soon may cure. */
export const VAULT_LOCKED = "VaultLocked";

export function isVaultLocked(error: unknown): boolean {
  return error instanceof UnavailableError && error.serviceCode === VAULT_LOCKED;
}

/**
 * SQLite's failures in the words of what the user can do about them; anything else (ours, or a
 * bug) passes through unchanged. A failed write was rolled back whole, so each says nothing changed.
 */
export function storageError(error: unknown, path: string): unknown {
  switch (sqliteCode(error)) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return vaultLocked(error, path);
    case SQLITE_FULL:
      return new UnavailableError(`The disk holding the vault ${path} is full; nothing was changed. Free some space and try again.`, {
        vault: path,
        cause: error,
        serviceCode: "StorageFull",
      });
    case SQLITE_READONLY:
      return new ConfigurationError(`The vault ${path} is read-only here; nothing was changed. Check the file's and folder's permissions.`, {
        vault: path,
        cause: error,
      });
    case SQLITE_IOERR:
      return new UnavailableError(`Reading or writing the vault ${path} failed at the disk; nothing was changed. Check the disk, then try again.`, {
        vault: path,
        cause: error,
      });
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return new ConfigurationError(`The file ${path} is damaged or is not an orbitra vault. Restore it from a copy, or point at the right file.`, {
        vault: path,
        cause: error,
      });
    default:
      return error;
  }
}
