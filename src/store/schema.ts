import { immediate, pragmaValue, type DatabaseSync } from "./sqlite.js";
import { ConfigurationError } from "../core/errors.js";

/**
 * Migrations, applied in order inside one transaction; `PRAGMA user_version` records how many ran.
 * Never edit a migration once a vault may hold it: add the next one.
 */
const MIGRATIONS: readonly string[] = [
  // 1: secrets (one row per name, soft-delete facts) and their versions (value sealed per row).
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
  // 2: "latest" is the newest `created`, ties broken by insertion order (seq); this index answers
  // it with one probe per secret and serves the keyset paging of versions. It also covers the
  // foreign key (secret_id first), so the old index is redundant.
  `
  CREATE INDEX versions_by_created ON versions (secret_id, created, seq);
  DROP INDEX versions_by_secret;
  `,
  // 3: "latest" is the last version written (insertion order, seq), whatever the clock said: a
  // clock stepped back must not hide a new write behind an older one. Versions page in that order too.
  `
  CREATE INDEX versions_by_secret_seq ON versions (secret_id, seq);
  DROP INDEX versions_by_created;
  `,
  // 4: a get reads two b-trees instead of four, a new version writes two random pages instead of
  // three. `secrets` is keyed by name_key itself (WITHOUT ROWID: the name's index was a second
  // b-tree in front of the table) and keeps the seq of its latest version, which a probe of
  // versions_by_secret_seq found before. That index goes: every new version wrote a leaf of it at
  // a random place, and at 1M secrets those pages are what a checkpoint spends its time writing
  // back. Paging versions in seq order now sorts a secret's entries of the (secret_id, version)
  // index, which the foreign key also uses. At 1M secrets each b-tree is three levels deep and
  // mostly out of the CPU's caches, so a get's time followed the number of b-trees it walked.
  // secrets_by_name lists names in code-point order (the CLI's order) from the index alone, a page
  // at a time: `secrets list` streams instead of collecting and sorting a million names.
  // ids are kept, so versions' foreign key still holds; the rebuild runs with foreign keys off
  // (migrate()), or dropping the old table would cascade to every version.
  `
  CREATE TABLE secrets_v4 (
    name_key TEXT PRIMARY KEY,
    id INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    deleted_date INTEGER,
    scheduled_purge_date INTEGER,
    latest_seq INTEGER
  ) WITHOUT ROWID;
  INSERT INTO secrets_v4 (name_key, id, name, deleted_date, scheduled_purge_date, latest_seq)
    SELECT name_key, id, name, deleted_date, scheduled_purge_date, (SELECT max(seq) FROM versions WHERE secret_id = secrets.id)
    FROM secrets;
  DROP TABLE secrets;
  ALTER TABLE secrets_v4 RENAME TO secrets;
  CREATE INDEX secrets_scheduled_purge ON secrets (scheduled_purge_date) WHERE deleted_date IS NOT NULL;
  CREATE INDEX secrets_by_name ON secrets (name, deleted_date);
  DROP INDEX versions_by_secret_seq;
  `,
  // 5: keys, a name space of their own (a key and a secret may share a name, as in Key Vault), in
  // the layout migration 4 gave secrets: one row per name keyed by the name itself, with the
  // soft-delete facts, the latest version's seq and the rotation policy (JSON, null: never set);
  // `rotate_due` is when the policy's Rotate action next falls due (Unix seconds), kept beside it
  // so the check on read is one seek of a partial index. A version keeps its public JWK members
  // in the clear and its private JWK sealed like a secret's value.
  `
  CREATE TABLE keys (
    name_key TEXT PRIMARY KEY,
    id INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    deleted_date INTEGER,
    scheduled_purge_date INTEGER,
    latest_seq INTEGER,
    rotation_policy TEXT,
    rotate_due INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX keys_scheduled_purge ON keys (scheduled_purge_date) WHERE deleted_date IS NOT NULL;
  CREATE INDEX keys_rotate_due ON keys (rotate_due) WHERE rotate_due IS NOT NULL;
  CREATE INDEX keys_by_name ON keys (name, deleted_date);
  CREATE TABLE key_versions (
    seq INTEGER PRIMARY KEY,
    key_id INTEGER NOT NULL REFERENCES keys (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    kty TEXT NOT NULL,
    key_size INTEGER,
    crv TEXT,
    public_jwk TEXT NOT NULL,
    private BLOB NOT NULL,
    key_ops TEXT,
    tags TEXT,
    enabled INTEGER NOT NULL,
    nbf INTEGER,
    exp INTEGER,
    exportable INTEGER NOT NULL,
    managed INTEGER NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    UNIQUE (key_id, version)
  );
  `,
  // 6: certificates, in the layout of migration 4. A certificate's secret is marked managed (it is written and deleted with the
  // certificate). Versions keep the leaf and chain DER and the private key sealed (a renewal with
  // reuse_key, or a PEM download, needs it even when the key is not exportable); the one pending
  // operation per certificate keeps its CSR's key sealed until merge or cancel; an issuer's
  // password is sealed apart from its JSON. renew_at is when
  // the latest version's AutoRenew falls due (Self issuer only), so the renewal check is one seek.
  `
  ALTER TABLE versions ADD COLUMN managed INTEGER NOT NULL DEFAULT 0;
  CREATE TABLE certificates (
    name_key TEXT PRIMARY KEY,
    id INTEGER NOT NULL UNIQUE,
    name TEXT NOT NULL,
    policy TEXT NOT NULL,
    renew_at INTEGER,
    deleted_date INTEGER,
    scheduled_purge_date INTEGER,
    latest_seq INTEGER
  ) WITHOUT ROWID;
  CREATE INDEX certificates_by_name ON certificates (name, deleted_date);
  CREATE INDEX certificates_scheduled_purge ON certificates (scheduled_purge_date) WHERE deleted_date IS NOT NULL;
  CREATE INDEX certificates_renew_at ON certificates (renew_at) WHERE renew_at IS NOT NULL AND deleted_date IS NULL;
  CREATE TABLE certificate_versions (
    seq INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES certificates (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    cer BLOB NOT NULL,
    chain TEXT,
    private_key BLOB NOT NULL,
    tags TEXT,
    enabled INTEGER NOT NULL,
    nbf INTEGER NOT NULL,
    exp INTEGER NOT NULL,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    UNIQUE (certificate_id, version)
  );
  CREATE TABLE certificate_operations (
    certificate_id INTEGER PRIMARY KEY REFERENCES certificates (id) ON DELETE CASCADE,
    request_id TEXT NOT NULL,
    status TEXT NOT NULL,
    status_details TEXT NOT NULL,
    cancellation_requested INTEGER NOT NULL,
    csr BLOB,
    private_key BLOB,
    tags TEXT,
    enabled INTEGER NOT NULL,
    error TEXT,
    created INTEGER NOT NULL
  );
  CREATE TABLE certificate_issuers (
    name_key TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    password BLOB,
    created INTEGER NOT NULL,
    updated INTEGER NOT NULL
  );
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the file to the current schema; refuses a file written by a newer orbitra. Foreign keys
 * are off while migrations run (the pragma cannot change inside a transaction, hence here, around
 * it): a migration that rebuilds a table drops the old one, which with them on would cascade. A
 * check before COMMIT makes sure no migration left a version without its secret.
 */
export function migrate(db: DatabaseSync, path: string): void {
  const current = pragmaValue(db, "user_version") as number;
  if (current === SCHEMA_VERSION) return;
  refuseNewer(current, path);
  const foreignKeys = pragmaValue(db, "foreign_keys") as number;
  db.exec("PRAGMA foreign_keys = OFF");
  try {
    immediate(db, () => {
      // Re-read under the write lock: another process may have migrated meanwhile.
      const now = pragmaValue(db, "user_version") as number;
      refuseNewer(now, path);
      for (let i = now; i < SCHEMA_VERSION; i++) db.exec(MIGRATIONS[i]!);
      if (db.prepare("PRAGMA foreign_key_check").get() !== undefined) {
        throw new ConfigurationError(`The vault ${path} could not be upgraded: its versions do not match its secrets. Nothing was changed.`);
      }
      db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
    });
  } finally {
    db.exec(`PRAGMA foreign_keys = ${foreignKeys ? "ON" : "OFF"}`);
  }
}

function refuseNewer(version: number, path: string): void {
  if (version > SCHEMA_VERSION) {
    throw new ConfigurationError(
      `The vault ${path} has schema version ${version}, newer than this orbitra understands (${SCHEMA_VERSION}). Upgrade orbitra to use it.`,
    );
  }
}

/** Only for tests: the DDL of the first `version` migrations, to build an old-format file. */
export function migrationsUpTo(version: number): string[] {
  return MIGRATIONS.slice(0, version);
}
