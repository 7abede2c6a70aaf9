import { InvalidValueError } from "../core/errors.js";
import { assertValidName, assertValidValue, assertValidVersion } from "../core/rules.js";
import { isSecretStr, SecretStr } from "../core/secret-str.js";
import type { SecretPropertiesUpdate, SetSecretOptions } from "../core/types.js";
import { assertValidAttributes } from "../core/validate-options.js";
import { backupKeys, type BackupKeys } from "./backup-key.js";
import { fromBackupVersion, MAX_BACKUP_VERSIONS, packBackup, toBackupVersion, unpackBackup } from "./backup-blob.js";
import {
  alreadyExists,
  deletedButRecoverable,
  deletedSecretNotFound,
  isSqliteBusy,
  secretDisabled,
  secretNotFound,
  storageError,
} from "./errors.js";
import { checkVaultKey, readKeyMarker } from "./key-check.js";
import { openDatabase } from "./open-database.js";
import { vaultSettings, type OpenVaultOptions, type VaultSettings } from "./options.js";
import { decodeCursor, fetchLimit, toPage } from "./paging.js";
import { SecretTable } from "./queries.js";
import { ReadCache } from "./read-cache.js";
import { tagsText, toSeconds, toStored, toStoredDeleted, type Retention, type VersionFields } from "./rows.js";
import type { Clock, Page, PageRequest, StoredDeletedSecret, StoredSecret } from "./types.js";
import { ValueSeal } from "./value-seal.js";
import { resolveVaultKey } from "./vault-key.js";
import { newVersionId, versionKey } from "./versions.js";
import { immediate, type DatabaseSync } from "./sqlite.js";

export type { OpenVaultOptions } from "./options.js";

const DAY_SECONDS = 86_400;

/**
 * The embedded vault: Key Vault's secret semantics on one SQLite file. Synchronous (node:sqlite).
 * Every write is one `BEGIN IMMEDIATE` transaction: concurrent processes queue on the file's write
 * lock instead of failing a read-then-write upgrade, so none loses a write. Inputs are checked
 * and values sealed before the lock is taken, which keeps the lock short and the file untouched
 * by refused input.
 */
export class LocalVault {
  readonly path: string;
  readonly #db: DatabaseSync;
  #open = true;
  readonly #table: SecretTable;
  readonly #values: ValueSeal;
  /** Seal backup blobs; values use {@link ValueSeal}. */
  readonly #backupKeys: BackupKeys;
  readonly #clock: Clock;
  readonly #retention: Retention;
  readonly #cache: ReadCache | undefined;
  #lastPurgeCheck = Number.NaN;

  private constructor(settings: VaultSettings, db: DatabaseSync, table: SecretTable, values: ValueSeal, key: Buffer) {
    this.path = settings.path;
    this.#db = db;
    this.#table = table;
    this.#values = values;
    this.#backupKeys = backupKeys(settings.backupKeySource, key);
    this.#clock = settings.clock;
    this.#retention = settings.retention;
    this.#cache = settings.readCacheEntries > 0 ? new ReadCache(db, settings.readCacheEntries) : undefined;
  }

  static open(options: OpenVaultOptions): LocalVault {
    const settings = vaultSettings(options);
    const db = openDatabase(settings.path, settings.busyTimeoutMs, settings.create);
    try {
      const table = new SecretTable(db);
      const marker = readKeyMarker(table);
      const key = resolveVaultKey(settings.keySource, marker === undefined);
      const vault = new LocalVault(settings, db, table, new ValueSeal(key, settings.path), key);
      checkVaultKey(table, key, settings.path, (fn) => vault.#write(fn), marker);
      return vault;
    } catch (error) {
      db.close();
      throw error;
    }
  }

  setSecret(name: string, value: string | SecretStr, options: SetSecretOptions = {}): StoredSecret {
    assertValidName(name);
    // Duck-typed as well: a SecretStr from another copy of this package still counts.
    const plain: unknown =
      isSecretStr(value) || typeof (value as Partial<SecretStr> | null)?.reveal === "function" ? (value as SecretStr).reveal() : value;
    assertValidValue(plain, name);
    assertValidAttributes(options, name);
    assertEnabledFlag(options.enabled, name);
    const nameKey = name.toLowerCase();
    const version = newVersionId();
    const sealed = this.#values.seal(plain, nameKey, version);
    return this.#write(() => {
      const now = this.#purgeExpired();
      const head = this.#table.head(nameKey);
      if (head && head.deleted_date !== null) throw deletedButRecoverable(head.name);
      const secretId = head?.id ?? this.#table.insertSecret(nameKey, name);
      const fields: VersionFields = {
        version,
        value: sealed,
        content_type: options.contentType ?? null,
        tags: tagsText(options.tags),
        enabled: options.enabled === false ? 0 : 1,
        nbf: options.notBefore ? toSeconds(options.notBefore) : null,
        exp: options.expiresOn ? toSeconds(options.expiresOn) : null,
        created: now,
        updated: now,
      };
      const seq = this.#table.insertVersion(secretId, fields);
      const row = { ...fields, secret_id: secretId, seq, name: head?.name ?? name, name_key: nameKey, deleted_date: null, scheduled_purge_date: null };
      return toStored(row, this.#retention);
    });
  }

  getSecret(name: string, version?: string): { secret: StoredSecret; value: SecretStr } {
    assertValidName(name);
    if (version !== undefined) assertValidVersion(version);
    this.#purgeIfDue();
    const nameKey = name.toLowerCase();
    const key = version === undefined ? nameKey : versionKey(version);
    const cacheKey = version === undefined ? nameKey : `${nameKey}/${key}`;
    const hit = this.#cache && this.#read(() => this.#cache!.get(cacheKey));
    if (hit) return { secret: hit.secret, value: new SecretStr(hit.plain) };
    const row = this.#read(() => this.#table.live(nameKey, version === undefined ? undefined : key));
    if (!row) throw secretNotFound(name, version);
    // notBefore/expiresOn are informational for secrets, as in Key Vault; only `enabled` gates a read.
    if (row.enabled !== 1) throw secretDisabled(row.name);
    const secret = toStored(row, this.#retention);
    const plain = this.#values.open(row);
    this.#cache?.set(cacheKey, { secret, plain });
    return { secret, value: new SecretStr(plain) };
  }

  /** Changes one version (the latest when `version` is undefined); works on a disabled one, to re-enable it. */
  updateSecretProperties(name: string, version: string | undefined, update: SecretPropertiesUpdate): StoredSecret {
    assertValidName(name);
    if (version !== undefined) assertValidVersion(version);
    assertValidAttributes(update, name);
    assertEnabledFlag(update.enabled, name);
    return this.#write(() => {
      const now = this.#purgeExpired();
      const row = this.#table.live(name.toLowerCase(), version === undefined ? undefined : versionKey(version));
      if (!row) throw secretNotFound(name, version);
      const changed = {
        enabled: update.enabled === undefined ? row.enabled : update.enabled ? 1 : 0,
        nbf: update.notBefore === undefined ? row.nbf : toSeconds(update.notBefore),
        exp: update.expiresOn === undefined ? row.exp : toSeconds(update.expiresOn),
        content_type: update.contentType === undefined ? row.content_type : update.contentType,
        tags: update.tags === undefined ? row.tags : tagsText(update.tags),
        updated: now,
      };
      this.#table.updateVersion(row.seq, changed);
      return toStored({ ...row, ...changed }, this.#retention);
    });
  }

  /** The latest version of each live secret, by lowercase name. */
  listSecrets(page: PageRequest = {}): Page<StoredSecret> {
    const limit = fetchLimit(page);
    const after = page.after === undefined ? "" : (decodeCursor(page.after, ["string"])[0] as string);
    this.#purgeIfDue();
    const rows = this.#read(() => this.#table.listLive(after, limit));
    return toPage(rows, page, (row) => toStored(row, this.#retention), (row) => [row.name_key]);
  }

  /** Every version in the order written; an unknown (or deleted) name gives an empty page. */
  listSecretVersions(name: string, page: PageRequest = {}): Page<StoredSecret> {
    assertValidName(name);
    const limit = fetchLimit(page);
    const seq = page.after === undefined ? 0 : (decodeCursor(page.after, ["number"])[0] as number);
    this.#purgeIfDue();
    const rows = this.#read(() => this.#table.versions(name.toLowerCase(), seq, limit));
    return toPage(rows, page, (row) => toStored(row, this.#retention), (row) => [row.seq]);
  }

  /** Soft-deletes every version; the name stays taken until recovered, purged, or purged on schedule. */
  deleteSecret(name: string): StoredDeletedSecret {
    assertValidName(name);
    return this.#write(() => {
      const now = this.#purgeExpired();
      const row = this.#table.live(name.toLowerCase());
      if (!row) throw secretNotFound(name);
      const scheduled = now + this.#retention.recoverableDays * DAY_SECONDS;
      this.#table.markDeleted(row.secret_id, now, scheduled);
      return toStoredDeleted({ ...row, deleted_date: now, scheduled_purge_date: scheduled }, this.#retention);
    });
  }

  getDeletedSecret(name: string): StoredDeletedSecret {
    assertValidName(name);
    this.#purgeIfDue();
    const row = this.#read(() => this.#table.deleted(name.toLowerCase(), this.#now()));
    if (!row) throw deletedSecretNotFound(name);
    return toStoredDeleted(row, this.#retention);
  }

  listDeletedSecrets(page: PageRequest = {}): Page<StoredDeletedSecret> {
    const limit = fetchLimit(page);
    const after = page.after === undefined ? "" : (decodeCursor(page.after, ["string"])[0] as string);
    this.#purgeIfDue();
    const rows = this.#read(() => this.#table.listDeleted(this.#now(), after, limit));
    return toPage(rows, page, (row) => toStoredDeleted(row, this.#retention), (row) => [row.name_key]);
  }

  /** Brings back every version; returns the latest. */
  recoverDeletedSecret(name: string): StoredSecret {
    assertValidName(name);
    return this.#write(() => {
      const now = this.#purgeExpired();
      const row = this.#table.deleted(name.toLowerCase(), now);
      if (!row) throw deletedSecretNotFound(name);
      this.#table.markRecovered(row.secret_id);
      return toStored(row, this.#retention);
    });
  }

  /** Removes every version for good; the name is free again. */
  purgeDeletedSecret(name: string): void {
    assertValidName(name);
    this.#write(() => {
      this.#purgeExpired();
      const head = this.#table.head(name.toLowerCase());
      if (!head || head.deleted_date === null) throw deletedSecretNotFound(name);
      this.#table.remove(head.id);
    });
  }

  /** Every version with its value, sealed into one blob that any vault with the same backup key can restore. */
  backupSecret(name: string): Buffer {
    assertValidName(name);
    this.#purgeIfDue();
    const rows = this.#read(() => this.#table.versions(name.toLowerCase(), 0, MAX_BACKUP_VERSIONS + 1));
    if (rows.length === 0) throw secretNotFound(name);
    if (rows.length > MAX_BACKUP_VERSIONS) {
      throw new InvalidValueError(
        `Secret ${rows[0]!.name} has more than ${MAX_BACKUP_VERSIONS} versions; Key Vault cannot back up a secret with that many.`,
        { secretName: rows[0]!.name, statusCode: 400, serviceCode: "BadParameter" },
      );
    }
    const versions = rows.map((row) => toBackupVersion(row, this.#values.open(row)));
    return packBackup(this.#backupKeys, { name: rows[0]!.name, versions });
  }

  /** Restores under the backup's name, keeping version ids and dates; the name must be free. */
  restoreSecretBackup(blob: Uint8Array): StoredSecret {
    const payload = unpackBackup(this.#backupKeys, blob);
    const nameKey = payload.name.toLowerCase();
    const versions = payload.versions.map((v) => fromBackupVersion(v, this.#values.seal(v.value, nameKey, v.version)));
    return this.#write(() => {
      this.#purgeExpired();
      if (this.#table.head(nameKey)) throw alreadyExists(payload.name);
      const secretId = this.#table.insertSecret(nameKey, payload.name);
      for (const version of versions) this.#table.insertVersion(secretId, version);
      return toStored(this.#table.live(nameKey)!, this.#retention);
    });
  }

  /**
   * Deletes every secret, live and deleted, in one transaction (the testing kit's `reset()`):
   * milliseconds, where a new file would cost a key check and a schema migration. The key marker stays.
   */
  deleteEverything(): void {
    this.#write(() => {
      this.#db.exec("DELETE FROM versions; DELETE FROM secrets;");
    });
  }

  /**
   * How long a statement waits, blocking this thread, for another process's lock before it fails
   * with `Unavailable` (code VaultLocked). The server sets 0 and waits between retries instead
   * (server/lock-retry.ts), so one blocked write never stops its other requests.
   */
  setBusyTimeout(ms: number): void {
    this.#db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(ms))}`);
  }

  /** Idempotent. */
  close(): void {
    if (!this.#open) return;
    this.#open = false;
    this.#db.close();
  }

  /** Inside a write: purges everything past its scheduled date (one seek of a partial index); returns now. */
  #purgeExpired(): number {
    const now = this.#now();
    this.#table.purgeExpired(now);
    this.#lastPurgeCheck = now;
    return now;
  }

  /**
   * Before a read: at most once per clock second, look for a secret past its purge date and purge
   * it. Reads already hide such secrets, so when the lock is busy the purge can wait for a write.
   */
  #purgeIfDue(): void {
    const now = this.#now();
    if (now === this.#lastPurgeCheck) return;
    this.#lastPurgeCheck = now;
    try {
      if (this.#read(() => this.#table.purgeDue(now))) this.#write(() => this.#purgeExpired());
    } catch (error) {
      if (!isSqliteBusy((error as { cause?: unknown }).cause) && !isSqliteBusy(error)) throw error;
    }
  }

  #now(): number {
    return Math.floor(this.#clock() / 1000);
  }

  #read<T>(fn: () => T): T {
    try {
      return fn();
    } catch (error) {
      throw storageError(error, this.path);
    }
  }

  #write<T>(fn: () => T): T {
    try {
      return immediate(this.#db, fn);
    } catch (error) {
      throw storageError(error, this.path);
    } finally {
      // Our own commits do not move data_version (see read-cache.ts); a failed write changed nothing, but clearing costs nothing.
      this.#cache?.clear();
    }
  }
}

function assertEnabledFlag(enabled: unknown, name: string): void {
  if (enabled !== undefined && typeof enabled !== "boolean") {
    throw new InvalidValueError("`enabled` must be true or false.", { secretName: name });
  }
}
