import { randomBytes } from "node:crypto";
import { closeSync, linkSync, mkdirSync, openSync, rmSync, statSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigurationError, OrbitraError } from "../core/errors.js";
import { storageError } from "./errors.js";
import { migrate } from "./schema.js";
import { openSqlite, type DatabaseSync } from "./sqlite.js";

/**
 * Reads map the file (up to 1 GiB) instead of copying each page into SQLite's cache: at 1M secrets
 * a get touches pages all over a 300 MB file, and mapping made it ~10-20% faster. Both are set
 * rather than left to the SQLite build (node:sqlite's page cache defaults to 2 MB): 16 MB holds the
 * inner pages of every b-tree of a million-secret vault, which writes still go through. Both are
 * ceilings, taken only as pages are used: a one-shot CLI read of a small vault allocates neither.
 * Listings read unmapped and through a smaller cache (VaultCore.scan).
 */
export const MMAP_BYTES = 1 << 30;
export const CACHE_KIB = 16 * 1024;
/**
 * The cache a listing reads through: a scan passes each leaf once, so a big cache only fills with
 * pages it will not read again (16 MB of them in a 1M listing, counted as the process's memory).
 * 1 MB still holds the inner pages of the b-trees it walks at a million secrets.
 */
export const SCAN_CACHE_KIB = 1024;

/**
 * Opens (creating if needed and allowed) the vault's SQLite file at the current schema.
 *
 * A new vault is built whole under a temporary name (0600 from the start, schema in place) and
 * hard-linked into place: link() fails when the name exists, so racing openers end up on the one
 * file that won, and no process ever sees a half-made vault. So an empty file at the path is
 * never one of ours being born: it is refused rather than taken for a new vault, since it is more
 * likely a vault truncated by accident than a wish for a fresh one.
 *
 * WAL with synchronous=NORMAL: a commit is in the WAL (the OS's page cache) before it returns,
 * so it survives the process being killed (SIGKILL, OOM); only a power cut or kernel crash could
 * lose the last commits, never corrupt the file. That trade is the usual one for WAL and keeps
 * writes one fsync per checkpoint rather than one per commit.
 */
export function openDatabase(path: string, busyTimeoutMs: number, create = true): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    const size = fileSize(path);
    if (size === undefined) {
      if (!create) throw missingVault(path);
      createVaultFile(path);
    } else if (size === 0) {
      throw new ConfigurationError(
        `The vault file ${path} is empty (0 bytes): it is not a vault, or it was truncated. Restore it from a copy, or delete it to start a new vault there.`,
        { vault: path },
      );
    }
    db = openSqlite(path, busyTimeoutMs);
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
    db.exec(`PRAGMA mmap_size = ${MMAP_BYTES}; PRAGMA cache_size = -${CACHE_KIB}`);
    migrate(db, path);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof OrbitraError) throw error;
    const known = storageError(error, path);
    if (known !== error) throw known;
    throw new ConfigurationError(`Cannot open the vault ${path}: ${(error as Error).message}.`, { vault: path, cause: error });
  }
}

function fileSize(path: string): number | undefined {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
}

function missingVault(path: string): ConfigurationError {
  return new ConfigurationError(
    `No vault at ${path}. Check the path; a write (orbitra secrets set NAME --key-vault local:${path}) creates a new vault there.`,
    { vault: path, serviceCode: "VaultNotFound" },
  );
}

function createVaultFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const temp = `${path}.${process.pid}-${randomBytes(4).toString("hex")}.new`;
  closeSync(openSync(temp, "wx", 0o600));
  try {
    const db = openSqlite(temp, 0);
    try {
      migrate(db, temp);
    } finally {
      db.close();
    }
    try {
      linkSync(temp, path);
    } catch (error) {
      // Another process created it between our look and our link: theirs is as good as ours.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  } finally {
    rmSync(temp, { force: true });
    rmSync(`${temp}-journal`, { force: true });
  }
}
