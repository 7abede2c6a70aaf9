import { closeSync, existsSync, mkdirSync, openSync } from "node:fs";
import { dirname } from "node:path";
import { ConfigurationError, OrbitraError } from "../core/errors.js";
import { isSqliteBusy, vaultLocked } from "./errors.js";
import { migrate } from "./schema.js";
import { openSqlite, type DatabaseSync } from "./sqlite.js";

/**
 * Opens (creating if needed) the vault's SQLite file at the current schema.
 *
 * The file is created by us with mode 0600 before SQLite sees it, so there is no moment when it
 * exists world-readable; SQLite gives the -wal and -shm files the same mode as the database.
 *
 * WAL with synchronous=NORMAL: a commit is in the WAL (the OS's page cache) before it returns,
 * so it survives the process being killed (SIGKILL, OOM); only a power cut or kernel crash could
 * lose the last commits, never corrupt the file. That trade is the usual one for WAL and keeps
 * writes one fsync per checkpoint rather than one per commit.
 */
export function openDatabase(path: string, busyTimeoutMs: number): DatabaseSync {
  let db: DatabaseSync | undefined;
  try {
    if (!existsSync(path)) createPrivateFile(path);
    db = openSqlite(path, busyTimeoutMs);
    db.exec("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON");
    migrate(db, path);
    return db;
  } catch (error) {
    db?.close();
    if (error instanceof OrbitraError) throw error;
    if (isSqliteBusy(error)) throw vaultLocked(error, path);
    throw new ConfigurationError(`Cannot open the vault ${path}: ${(error as Error).message}.`, { vault: path, cause: error });
  }
}

function createPrivateFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  try {
    closeSync(openSync(path, "wx", 0o600));
  } catch (error) {
    // Another process created it between our check and our open: theirs is as good as ours.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}
