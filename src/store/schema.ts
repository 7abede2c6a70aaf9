import type Database from "better-sqlite3";
import { ConfigurationError } from "../core/errors.js";

/**
 * Migrations, applied in order inside one transaction; `PRAGMA user_version` records how many ran.
 * Never edit a shipped migration: add the next one.
 */
const MIGRATIONS: readonly string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
  CREATE TABLE secrets (
    id INTEGER PRIMARY KEY,
    name_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    deleted_date INTEGER,
    scheduled_purge_date INTEGER
  );
  CREATE INDEX secrets_scheduled_purge ON secrets (scheduled_purge_date) WHERE deleted_date IS NOT NULL;
  CREATE TABLE versions (
    seq INTEGER PRIMARY KEY,
    secret_id INTEGER NOT NULL REFERENCES secrets (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    value BLOB NOT NULL,
    content_type TEXT,
    tags TEXT,
    enabled INTEGER NOT NULL,
    nbf INTEGER,
    exp INTEGER,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    UNIQUE (secret_id, version)
  );
  CREATE INDEX versions_by_secret ON versions (secret_id, seq);
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/** Brings the file to the current schema; refuses a file written by a newer orbitra. */
export function migrate(db: Database.Database, path: string): void {
  const current = db.pragma("user_version", { simple: true }) as number;
  if (current === SCHEMA_VERSION) return;
  if (current > SCHEMA_VERSION) {
    throw new ConfigurationError(
      `The vault ${path} has schema version ${current}, newer than this orbitra understands (${SCHEMA_VERSION}). Upgrade orbitra.`,
    );
  }
  db.transaction(() => {
    // Re-read inside the write lock: another process may have migrated meanwhile.
    const now = db.pragma("user_version", { simple: true }) as number;
    for (let i = now; i < SCHEMA_VERSION; i++) db.exec(MIGRATIONS[i]!);
    db.pragma(`user_version = ${SCHEMA_VERSION}`);
  }).immediate();
}
