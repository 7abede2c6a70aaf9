import { randomBytes } from "node:crypto";
import { chmodSync, existsSync, mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type BetterSqlite3 from "better-sqlite3";
import { ConfigurationError, InvalidValueError, OrbitraError, PermissionDeniedError } from "../core/errors.js";
import { assertValidName, assertValidValue, assertValidVersion } from "../core/rules.js";
import { SecretStr } from "../core/secret-str.js";
import type { SecretPropertiesUpdate, SetSecretOptions } from "../core/types.js";
import { assertValidAttributes } from "../core/validate-options.js";
import { packBackup, unpackBackup, type BackupVersion } from "./backup-blob.js";
import { open, seal } from "./cipher.js";
import { alreadyExists, deletedButRecoverable, deletedSecretNotFound, mapSqliteBusy, secretNotFound } from "./errors.js";
import { decodeCursor, encodeCursor, retentionFor, toSeconds, toStored, toStoredDeleted, type Retention, type VersionRow } from "./rows.js";
import { migrate } from "./schema.js";
import { Database, nativeBinding } from "./sqlite.js";
import type { Clock, Page, PageRequest, StoredDeletedSecret, StoredSecret } from "./types.js";
import { loadVaultKey } from "./vault-key.js";

export interface OpenVaultOptions {
  /** The SQLite file; created (0600, folder 0700) on first use. */
  path: string;
  /** 32-byte AES key; else `ORBITRA_VAULT_KEY`; else `keyFile`. */
  key?: Uint8Array;
  /** Default `<folder of path>/vault.key`: one key per folder, so backups restore across its vaults. */
  keyFile?: string;
  clock?: Clock;
  /** Soft-delete retention, 7-90 days (Key Vault's range); default 90. */
  recoverableDays?: number;
  env?: NodeJS.ProcessEnv;
}

const SELECT_VERSION = `SELECT s.id AS secret_id, s.name, s.name_key, s.deleted_date, s.scheduled_purge_date, v.*
  FROM secrets s JOIN versions v ON v.secret_id = s.id`;
const LATEST = `v.seq = (SELECT max(seq) FROM versions WHERE secret_id = s.id)`;
const MAX_BACKUP_VERSIONS = 500;

/**
 * The embedded vault: Key Vault's secret semantics on one SQLite file. Synchronous (better-sqlite3);
 * every write is one `BEGIN IMMEDIATE` transaction, so concurrent processes serialise on the
 * file lock and none loses a write. WAL with synchronous=NORMAL keeps every committed write
 * through a process crash (SIGKILL); only a power loss could drop the last commits.
 */
export class LocalVault {
  readonly path: string;
  readonly #db: BetterSqlite3.Database;
  readonly #key: Buffer;
  readonly #clock: Clock;
  readonly #retention: Retention;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();

  private constructor(path: string, db: BetterSqlite3.Database, key: Buffer, clock: Clock, retention: Retention) {
    this.path = path;
    this.#db = db;
    this.#key = key;
    this.#clock = clock;
    this.#retention = retention;
  }

  static open(options: OpenVaultOptions): LocalVault {
    const path = resolve(options.path);
    const days = options.recoverableDays ?? 90;
    if (!Number.isInteger(days) || days < 7 || days > 90) {
      throw new ConfigurationError(`recoverableDays must be a whole number from 7 to 90, not ${days}.`);
    }
    const env = options.env ?? process.env;
    const key = options.key
      ? Buffer.from(options.key)
      : loadVaultKey(options.keyFile ?? join(dirname(path), "vault.key"), env);
    if (key.length !== 32) throw new ConfigurationError("The vault key must be 32 bytes.");
    const fresh = !existsSync(path);
    if (fresh) mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    let db: BetterSqlite3.Database;
    try {
      const addon = nativeBinding();
      db = new Database(path, addon ? { nativeBinding: addon } : {});
      if (fresh) chmodSync(path, 0o600);
      db.pragma("busy_timeout = 5000");
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("foreign_keys = ON");
      migrate(db, path);
    } catch (error) {
      if (error instanceof OrbitraError) throw error;
      throw new ConfigurationError(`Cannot open the vault ${path}: ${(error as Error).message}.`, { cause: error });
    }
    const vault = new LocalVault(path, db, key, options.clock ?? Date.now, retentionFor(days));
    vault.#checkKey();
    return vault;
  }

  setSecret(name: string, value: string | SecretStr, options: SetSecretOptions = {}): StoredSecret {
    assertValidName(name);
    const plain = typeof value === "string" ? value : value.reveal();
    assertValidValue(plain, name);
    assertValidAttributes(options, name);
    return this.#write(() => {
      this.#purgeExpired();
      const now = this.#now();
      const existing = this.#stmt("SELECT id, name, deleted_date FROM secrets WHERE name_key = ?").get(name.toLowerCase()) as
        | { id: number; name: string; deleted_date: number | null }
        | undefined;
      if (existing?.deleted_date != null) throw deletedButRecoverable(existing.name);
      const secretId =
        existing?.id ??
        Number(this.#stmt("INSERT INTO secrets (name_key, name) VALUES (?, ?)").run(name.toLowerCase(), name).lastInsertRowid);
      const version = randomBytes(16).toString("hex");
      this.#insertVersion(secretId, name.toLowerCase(), {
        version,
        value: plain,
        contentType: options.contentType ?? null,
        tags: options.tags && Object.keys(options.tags).length > 0 ? JSON.stringify(options.tags) : null,
        enabled: options.enabled === false ? 0 : 1,
        nbf: options.notBefore ? toSeconds(options.notBefore) : null,
        exp: options.expiresOn ? toSeconds(options.expiresOn) : null,
        created: now,
        updated: now,
      });
      return toStored(this.#liveRow(name, version)!, this.#retention);
    });
  }

  getSecret(name: string, version?: string): { secret: StoredSecret; value: SecretStr } {
    assertValidName(name);
    if (version !== undefined) assertValidVersion(version);
    const row = this.#read(() => this.#liveRow(name, version));
    if (!row) throw secretNotFound(name, version);
    if (row.enabled !== 1) {
      throw new PermissionDeniedError("Operation get is not allowed on a disabled secret.", {
        secretName: row.name,
        statusCode: 403,
        serviceCode: "SecretDisabled",
      });
    }
    return { secret: toStored(row, this.#retention), value: new SecretStr(this.#decrypt(row)) };
  }

  updateSecretProperties(name: string, version: string | undefined, update: SecretPropertiesUpdate): StoredSecret {
    assertValidName(name);
    if (version !== undefined) assertValidVersion(version);
    assertValidAttributes(update, name);
    return this.#write(() => {
      const row = this.#liveRow(name, version);
      if (!row) throw secretNotFound(name, version);
      const tags = update.tags === undefined ? row.tags : Object.keys(update.tags).length ? JSON.stringify(update.tags) : null;
      this.#stmt(
        `UPDATE versions SET enabled = ?, nbf = ?, exp = ?, content_type = ?, tags = ?, updated = ? WHERE seq = ?`,
      ).run(
        update.enabled === undefined ? row.enabled : update.enabled ? 1 : 0,
        update.notBefore === undefined ? row.nbf : toSeconds(update.notBefore),
        update.expiresOn === undefined ? row.exp : toSeconds(update.expiresOn),
        update.contentType === undefined ? row.content_type : update.contentType,
        tags,
        this.#now(),
        row.seq,
      );
      return toStored(this.#liveRow(name, row.version)!, this.#retention);
    });
  }

  listSecrets(page: PageRequest = {}): Page<StoredSecret> {
    const rows = this.#read(() =>
      this.#stmt(
        `${SELECT_VERSION} WHERE s.deleted_date IS NULL AND ${LATEST} AND s.name_key > ? ORDER BY s.name_key LIMIT ?`,
      ).all(page.after ? decodeCursor(page.after) : "", limitOf(page)),
    ) as VersionRow[];
    return pageOf(rows, page, (row) => toStored(row, this.#retention), (row) => row.name_key);
  }

  listSecretVersions(name: string, page: PageRequest = {}): Page<StoredSecret> {
    assertValidName(name);
    const rows = this.#read(() =>
      this.#stmt(`${SELECT_VERSION} WHERE s.name_key = ? AND s.deleted_date IS NULL AND v.seq > ? ORDER BY v.seq LIMIT ?`).all(
        name.toLowerCase(),
        page.after ? Number(decodeCursor(page.after)) : 0,
        limitOf(page),
      ),
    ) as VersionRow[];
    return pageOf(rows, page, (row) => toStored(row, this.#retention), (row) => row.seq);
  }

  deleteSecret(name: string): StoredDeletedSecret {
    assertValidName(name);
    return this.#write(() => {
      this.#purgeExpired();
      const row = this.#liveRow(name);
      if (!row) throw secretNotFound(name);
      const now = this.#now();
      this.#stmt("UPDATE secrets SET deleted_date = ?, scheduled_purge_date = ? WHERE id = ?").run(
        now,
        now + this.#retention.recoverableDays * 86400,
        row.secret_id,
      );
      return toStoredDeleted(this.#deletedRow(name)!, this.#retention);
    });
  }

  getDeletedSecret(name: string): StoredDeletedSecret {
    assertValidName(name);
    const row = this.#read(() => this.#deletedRow(name));
    if (!row || this.#expired(row)) throw deletedSecretNotFound(name);
    return toStoredDeleted(row, this.#retention);
  }

  listDeletedSecrets(page: PageRequest = {}): Page<StoredDeletedSecret> {
    const rows = this.#read(() =>
      this.#stmt(
        `${SELECT_VERSION} WHERE s.deleted_date IS NOT NULL AND s.scheduled_purge_date > ? AND ${LATEST}
         AND s.name_key > ? ORDER BY s.name_key LIMIT ?`,
      ).all(this.#now(), page.after ? decodeCursor(page.after) : "", limitOf(page)),
    ) as VersionRow[];
    return pageOf(rows, page, (row) => toStoredDeleted(row, this.#retention), (row) => row.name_key);
  }

  recoverDeletedSecret(name: string): StoredSecret {
    assertValidName(name);
    return this.#write(() => {
      this.#purgeExpired();
      const row = this.#deletedRow(name);
      if (!row) throw deletedSecretNotFound(name);
      this.#stmt("UPDATE secrets SET deleted_date = NULL, scheduled_purge_date = NULL WHERE id = ?").run(row.secret_id);
      return toStored(this.#liveRow(name)!, this.#retention);
    });
  }

  purgeDeletedSecret(name: string): void {
    assertValidName(name);
    this.#write(() => {
      this.#purgeExpired();
      const row = this.#deletedRow(name);
      if (!row) throw deletedSecretNotFound(name);
      this.#stmt("DELETE FROM secrets WHERE id = ?").run(row.secret_id);
    });
  }

  backupSecret(name: string): Buffer {
    assertValidName(name);
    const rows = this.#read(
      () => this.#stmt(`${SELECT_VERSION} WHERE s.name_key = ? AND s.deleted_date IS NULL ORDER BY v.seq`).all(name.toLowerCase()) as VersionRow[],
    );
    if (rows.length === 0) throw secretNotFound(name);
    if (rows.length > MAX_BACKUP_VERSIONS) {
      throw new InvalidValueError(
        `Secret ${name} has ${rows.length} versions; a backup holds at most ${MAX_BACKUP_VERSIONS} (Key Vault's limit).`,
        { secretName: name },
      );
    }
    const versions: BackupVersion[] = rows.map((row) => ({
      version: row.version,
      value: this.#decrypt(row),
      contentType: row.content_type,
      tags: row.tags,
      enabled: row.enabled,
      nbf: row.nbf,
      exp: row.exp,
      created: row.created,
      updated: row.updated,
    }));
    return packBackup(this.#key, { name: rows[0]!.name, versions });
  }

  restoreSecretBackup(blob: Uint8Array): StoredSecret {
    const payload = unpackBackup(this.#key, blob);
    assertValidName(payload.name);
    return this.#write(() => {
      this.#purgeExpired();
      const key = payload.name.toLowerCase();
      if (this.#stmt("SELECT 1 FROM secrets WHERE name_key = ?").get(key)) throw alreadyExists(payload.name);
      const secretId = Number(this.#stmt("INSERT INTO secrets (name_key, name) VALUES (?, ?)").run(key, payload.name).lastInsertRowid);
      for (const version of payload.versions) this.#insertVersion(secretId, key, version);
      return toStored(this.#liveRow(payload.name)!, this.#retention);
    });
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  #insertVersion(secretId: number, nameKey: string, v: BackupVersion): void {
    this.#stmt(
      `INSERT INTO versions (secret_id, version, value, content_type, tags, enabled, nbf, exp, created, updated)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      secretId,
      v.version,
      seal(this.#key, Buffer.from(v.value, "utf8"), `${nameKey}/${v.version}`),
      v.contentType,
      v.tags,
      v.enabled,
      v.nbf,
      v.exp,
      v.created,
      v.updated,
    );
  }

  #liveRow(name: string, version?: string): VersionRow | undefined {
    const key = name.toLowerCase();
    return (
      version === undefined
        ? this.#stmt(`${SELECT_VERSION} WHERE s.name_key = ? AND s.deleted_date IS NULL AND ${LATEST}`).get(key)
        : this.#stmt(`${SELECT_VERSION} WHERE s.name_key = ? AND s.deleted_date IS NULL AND v.version = ?`).get(key, version.toLowerCase())
    ) as VersionRow | undefined;
  }

  #deletedRow(name: string): VersionRow | undefined {
    return this.#stmt(`${SELECT_VERSION} WHERE s.name_key = ? AND s.deleted_date IS NOT NULL AND ${LATEST}`).get(
      name.toLowerCase(),
    ) as VersionRow | undefined;
  }

  #expired(row: VersionRow): boolean {
    return row.scheduled_purge_date !== null && row.scheduled_purge_date <= this.#now();
  }

  /** Retention over: gone for good, as Key Vault purges on schedule. Cheap when nothing is due (partial index). */
  #purgeExpired(): void {
    this.#stmt("DELETE FROM secrets WHERE deleted_date IS NOT NULL AND scheduled_purge_date <= ?").run(this.#now());
  }

  #decrypt(row: VersionRow): string {
    try {
      return open(this.#key, row.value, `${row.name_key}/${row.version}`).toString("utf8");
    } catch (error) {
      throw new ConfigurationError(
        `Cannot decrypt secret ${row.name} in ${this.path}: the vault key does not match this vault or the row is damaged.`,
        { secretName: row.name, cause: error },
      );
    }
  }

  /** A vault records a sealed marker with its key, so a wrong key fails at open, clearly, before any read. */
  #checkKey(): void {
    const marker = this.#stmt("SELECT value FROM meta WHERE key = 'key_check'").get() as { value: Buffer } | undefined;
    if (!marker) {
      this.#write(() => {
        this.#stmt("INSERT OR IGNORE INTO meta (key, value) VALUES ('key_check', ?)").run(seal(this.#key, Buffer.from("orbitra"), "key_check"));
      });
      return;
    }
    try {
      open(this.#key, marker.value, "key_check");
    } catch {
      this.close();
      throw new ConfigurationError(
        `The vault key does not match the vault ${this.path}. Use the key this vault was created with (its vault.key file or ORBITRA_VAULT_KEY).`,
      );
    }
  }

  #now(): number {
    return Math.floor(this.#clock() / 1000);
  }

  #stmt(sql: string): BetterSqlite3.Statement {
    let statement = this.#statements.get(sql);
    if (!statement) {
      statement = this.#db.prepare(sql);
      this.#statements.set(sql, statement);
    }
    return statement;
  }

  #read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw mapSqliteBusy(error, this.path);
    }
  }

  #write<T>(fn: () => T): T {
    try {
      return this.#db.transaction(fn).immediate();
    } catch (error) {
      throw mapSqliteBusy(error, this.path);
    }
  }
}

/** One row more than the page holds, so the last page is known as last (no trailing empty page). */
function limitOf(page: PageRequest): number {
  return page.limit === undefined ? -1 : Math.max(1, Math.floor(page.limit)) + 1;
}

function pageOf<R, T>(rows: R[], page: PageRequest, map: (row: R) => T, cursorOf: (row: R) => string | number): Page<T> {
  if (page.limit === undefined || rows.length < limitOf(page)) return { items: rows.map(map) };
  const kept = rows.slice(0, -1);
  return { items: kept.map(map), next: encodeCursor(cursorOf(kept[kept.length - 1]!)) };
}
