import { createRequire } from "node:module";
import { ConfigurationError } from "../core/errors.js";
import type { DatabaseSync, SQLInputValue, StatementSync } from "node:sqlite";

export type { DatabaseSync, SQLInputValue, StatementSync };

const require = createRequire(import.meta.url);
let sqlite: typeof import("node:sqlite") | undefined;

/**
 * Node's own SQLite (`node:sqlite`, Node 22.13+): no native addon to compile or download.
 *
 * Loaded on first use rather than imported, for two reasons: a command that never opens a vault
 * pays nothing for it, and Node 22 announces the module with an ExperimentalWarning on stderr when
 * it loads. That one warning is ours to swallow (a CLI user cannot act on it, and a library user
 * did not ask for SQLite by name); every other warning of the host process passes through as it was.
 */
function nodeSqlite(): typeof import("node:sqlite") {
  if (sqlite) return sqlite;
  const emitWarning = process.emitWarning;
  process.emitWarning = function (this: NodeJS.Process, warning: string | Error, ...rest: unknown[]) {
    const text = typeof warning === "string" ? warning : warning.message;
    const type = typeof rest[0] === "string" ? rest[0] : (rest[0] as { type?: string } | undefined)?.type;
    if ((type === "ExperimentalWarning" || (warning as Error).name === "ExperimentalWarning") && /SQLite/i.test(text)) return;
    return (emitWarning as (...args: unknown[]) => void).call(this, warning, ...rest);
  } as typeof process.emitWarning;
  try {
    sqlite = require("node:sqlite") as typeof import("node:sqlite");
  } catch (error) {
    // Node 20 and older have no node:sqlite: say which Node is needed, not which module is missing.
    throw new ConfigurationError(
      `orbitra's vault needs Node 22.13 or later (node:sqlite); this is Node ${process.versions.node}. Install a current Node LTS (22, 24 or 26).`,
      { cause: error },
    );
  } finally {
    process.emitWarning = emitWarning;
  }
  return sqlite;
}

/**
 * Opens a database file. `busyTimeoutMs` is SQLite's own wait for another connection's lock
 * (set first, so that even switching the file to WAL waits for other processes).
 */
export function openSqlite(path: string, busyTimeoutMs: number): DatabaseSync {
  const db = new (nodeSqlite().DatabaseSync)(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
  } catch (error) {
    db.close();
    throw error;
  }
  return db;
}

/** The value of a pragma that answers one row of one column (`user_version`, `data_version`, ...). */
export function pragmaValue(db: DatabaseSync, name: string): unknown {
  const row = db.prepare(`PRAGMA ${name}`).get() as Record<string, unknown> | undefined;
  return row === undefined ? undefined : Object.values(row)[0];
}

/**
 * Runs `fn` in a `BEGIN IMMEDIATE` transaction: the write lock is taken up front, so concurrent
 * writers queue on it instead of failing a read-to-write upgrade. Rolls back on any throw.
 */
export function immediate<T>(db: DatabaseSync, fn: () => T): T {
  db.exec("BEGIN IMMEDIATE");
  try {
    const result = fn();
    db.exec("COMMIT");
    return result;
  } catch (error) {
    rollback(db);
    throw error;
  }
}

/** SQLite itself rolls back on some failures (SQLITE_FULL, I/O errors): then there is nothing left to undo. */
function rollback(db: DatabaseSync): void {
  try {
    db.exec("ROLLBACK");
  } catch {
    // "cannot rollback - no transaction is active"
  }
}

/**
 * SQLite's primary result code of a `node:sqlite` error (`errcode` holds the extended code, whose
 * low byte is the primary one), or undefined for anything else.
 */
export function sqliteCode(error: unknown): number | undefined {
  const errcode = (error as { errcode?: unknown } | null)?.errcode;
  return typeof errcode === "number" ? errcode & 0xff : undefined;
}

export const SQLITE_BUSY = 5;
export const SQLITE_LOCKED = 6;
export const SQLITE_READONLY = 8;
export const SQLITE_IOERR = 10;
export const SQLITE_CORRUPT = 11;
export const SQLITE_FULL = 13;
export const SQLITE_NOTADB = 26;
