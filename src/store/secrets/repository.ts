import { ConflictError, InvalidValueError } from "../../core/errors.js";
import { alreadyExists, deletedButRecoverable, managedByKeyVault, objectDisabled, objectNotFound } from "../../core/object-errors.js";
import { assertValidName, assertValidValue, assertValidVersion } from "../../core/rules.js";
import { isSecretStr, SecretStr } from "../../core/secret-str.js";
import type { SecretPropertiesUpdate, SetSecretOptions } from "../../core/types.js";
import { assertValidAttributes } from "../../core/validate-options.js";
import { Lifecycle } from "../lifecycle.js";
import { assertBackupSize } from "../sealed-blob.js";
import type { Page, PageRequest, StoredDeletedSecret, StoredSecret } from "../types.js";
import type { SecretRead } from "../read-cache.js";
import type { VaultCore } from "../vault-core.js";
import { newVersionId, versionKey } from "../versions.js";
import { fromBackupVersion, MAX_BACKUP_VERSIONS, packBackup, toBackupVersion, unpackBackup } from "./backup-blob.js";
import { SecretTable } from "./queries.js";
import { tagsText } from "../row-text.js";
import { toSeconds, toStored, toStoredDeleted, type PropertiesRow, type VersionFields, type VersionRow } from "./rows.js";

/**
 * Key Vault's secret semantics on the vault's SQLite file (`vault.secrets`). Synchronous
 * (node:sqlite). Inputs are checked and values sealed before the write lock is taken, which keeps
 * the lock short and the file untouched by refused input; transactions, purging and the read
 * cache are the vault's (vault-core.ts).
 */
export class SecretRepository {
  readonly #core: VaultCore;
  readonly #table: SecretTable;
  readonly #lifecycle: Lifecycle<VersionRow, PropertiesRow, StoredSecret, StoredDeletedSecret>;

  /** `table`: the vault's one SecretTable, which it also purges through (local-vault.ts). */
  constructor(core: VaultCore, table: SecretTable) {
    this.#core = core;
    this.#table = table;
    this.#lifecycle = new Lifecycle(core, this.#table, {
      kind: "secret",
      isManaged: (row) => row.managed === 1,
      idOf: (row) => row.secret_id,
      toLive: (row) => toStored(row, core.retention),
      toDeleted: (row) => toStoredDeleted(row, core.retention),
      beforeRead: () => core.purgeIfDue(),
    });
  }

  setSecret(name: string, value: string | SecretStr, options: SetSecretOptions = {}): StoredSecret {
    assertValidName(name);
    // Duck-typed as well: a SecretStr from another copy of this package still counts.
    const plain: unknown =
      isSecretStr(value) || typeof (value as Partial<SecretStr> | null)?.reveal === "function" ? (value as SecretStr).reveal() : value;
    assertValidValue(plain, name);
    assertValidAttributes(options, name);
    assertEnabledFlag(options.enabled, name);
    return this.#insert(name, newVersionId(), plain, options, false);
  }

  /**
   * A certificate's secret (the certificates repository only): the version id is the
   * certificate's, the row is marked managed. A secret of that name that no certificate wrote is
   * Key Vault's conflict. Joins the caller's transaction.
   */
  setManagedSecret(name: string, version: string, value: string, options: SetSecretOptions): StoredSecret {
    assertValidName(name, "certificate");
    assertValidVersion(version);
    assertValidValue(value, name);
    return this.#insert(name, versionKey(version), value, options, true);
  }

  #insert(name: string, version: string, plain: string, options: SetSecretOptions, managed: boolean): StoredSecret {
    const nameKey = name.toLowerCase();
    const sealed = this.#core.values.seal(plain, nameKey, version);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const head = this.#table.head(nameKey);
      if (head && head.deleted_date !== null) throw deletedButRecoverable("secret", head.name);
      if (head) {
        // A certificate's secret changes only with its certificate, and a certificate never takes over another secret.
        const latestManaged = this.#table.latestManaged(nameKey);
        if (managed && !latestManaged) throw notManaged(head.name);
        if (!managed && latestManaged) throw managedByKeyVault("secret", head.name, "set");
      }
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
      const seq = this.#table.insertVersion(secretId, nameKey, fields);
      if (managed) this.#table.markManaged(seq);
      const row = {
        ...fields,
        secret_id: secretId,
        seq,
        name: head?.name ?? name,
        name_key: nameKey,
        deleted_date: null,
        scheduled_purge_date: null,
        managed: managed ? 1 : 0,
      };
      return toStored(row, this.#core.retention);
    });
  }

  /** The same object for every hit of the read cache: its parts are immutable, and so is it. */
  getSecret(name: string, version?: string): SecretRead {
    assertValidName(name);
    if (version !== undefined) assertValidVersion(version);
    this.#core.purgeIfDue();
    const nameKey = name.toLowerCase();
    const key = version === undefined ? nameKey : versionKey(version);
    const cacheKey = version === undefined ? nameKey : `${nameKey}/${key}`;
    const hit = this.#core.cached(cacheKey);
    if (hit) return hit;
    const row = this.#core.read(() => this.#table.live(nameKey, version === undefined ? undefined : key));
    if (!row) throw objectNotFound("secret", name, version);
    // notBefore/expiresOn are informational for secrets, as in Key Vault; only `enabled` gates a read.
    if (row.enabled !== 1) throw objectDisabled("secret", row.name);
    const secret = toStored(row, this.#core.retention);
    const read: SecretRead = { secret, value: new SecretStr(this.#core.values.open(row)) };
    this.#core.cache?.set(cacheKey, read);
    return read;
  }

  /** Changes one version (the latest when `version` is undefined); works on a disabled one, to re-enable it. */
  /** `byCertificate`: the certificates repository changing its own secret (a managed one refuses everyone else). */
  updateSecretProperties(name: string, version: string | undefined, update: SecretPropertiesUpdate, byCertificate = false): StoredSecret {
    assertValidName(name);
    if (version !== undefined) assertValidVersion(version);
    assertValidAttributes(update, name);
    assertEnabledFlag(update.enabled, name);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const row = this.#table.live(name.toLowerCase(), version === undefined ? undefined : versionKey(version));
      if (!row) throw objectNotFound("secret", name, version);
      if (!byCertificate && row.managed === 1) throw managedByKeyVault("secret", row.name, "update");
      const changed = {
        enabled: update.enabled === undefined ? row.enabled : update.enabled ? 1 : 0,
        nbf: update.notBefore === undefined ? row.nbf : toSeconds(update.notBefore),
        exp: update.expiresOn === undefined ? row.exp : toSeconds(update.expiresOn),
        content_type: update.contentType === undefined ? row.content_type : update.contentType,
        tags: update.tags === undefined ? row.tags : tagsText(update.tags),
        updated: now,
      };
      this.#table.updateVersion(row.seq, changed);
      return toStored({ ...row, ...changed }, this.#core.retention);
    });
  }

  /** The latest version of each live secret, by lowercase name. */
  listSecrets(page: PageRequest = {}): Page<StoredSecret> {
    return this.#lifecycle.list(page);
  }

  /** {@link listSecrets} in the order of {@link listSecretNames}. */
  listSecretsByName(page: PageRequest = {}): Page<StoredSecret> {
    return this.#lifecycle.list(page, true);
  }

  /**
   * Names of the live secrets in code-point order (as the CLI prints them), from one index and
   * nothing else: no version, no value, a page of small rows at a time.
   */
  listSecretNames(page: PageRequest = {}): Page<string> {
    return this.#lifecycle.names(page);
  }

  /** Every version in the order written; an unknown (or deleted) name gives an empty page. */
  listSecretVersions(name: string, page: PageRequest = {}): Page<StoredSecret> {
    return this.#lifecycle.versions(name, page);
  }

  /** Soft-deletes every version; the name stays taken until recovered, purged, or purged on schedule. */
  deleteSecret(name: string, byCertificate = false): StoredDeletedSecret {
    return this.#lifecycle.delete(name, byCertificate);
  }

  getDeletedSecret(name: string): StoredDeletedSecret {
    return this.#lifecycle.getDeleted(name);
  }

  listDeletedSecrets(page: PageRequest = {}): Page<StoredDeletedSecret> {
    return this.#lifecycle.listDeleted(page);
  }

  /** Brings back every version; returns the latest. */
  recoverDeletedSecret(name: string): StoredSecret {
    return this.#lifecycle.recover(name);
  }

  /** Removes every version for good; the name is free again. */
  purgeDeletedSecret(name: string): void {
    this.#lifecycle.purge(name);
  }

  /** Every version with its value, sealed into one blob that any vault with the same backup key can restore. */
  backupSecret(name: string): Buffer {
    assertValidName(name);
    this.#core.purgeIfDue();
    const rows = this.#core.read(() => this.#table.versions(name.toLowerCase(), 0, MAX_BACKUP_VERSIONS + 1));
    if (rows.length === 0) throw objectNotFound("secret", name);
    assertBackupSize("secret", rows[0]!.name, rows.length);
    const versions = rows.map((row) => toBackupVersion(row, this.#core.values.open(row)));
    return packBackup(this.#core.backupKeys, { name: rows[0]!.name, versions });
  }

  /** Restores under the backup's name, keeping version ids and dates; the name must be free. */
  restoreSecretBackup(blob: Uint8Array): StoredSecret {
    const payload = unpackBackup(this.#core.backupKeys, blob);
    const nameKey = payload.name.toLowerCase();
    const versions = payload.versions.map((v) => fromBackupVersion(v, this.#core.values.seal(v.value, nameKey, v.version)));
    return this.#core.write(() => {
      this.#core.purgeExpired();
      if (this.#table.head(nameKey)) throw alreadyExists("secret", payload.name);
      const secretId = this.#table.insertSecret(nameKey, payload.name);
      for (const version of versions) this.#table.insertVersion(secretId, nameKey, version);
      return toStored(this.#table.live(nameKey)!, this.#core.retention);
    });
  }
}

/** Key Vault's answer when a certificate would take over a secret that is not its own. */
function notManaged(name: string): ConflictError {
  return new ConflictError(`A secret named ${name} already exists and does not belong to a certificate; choose another certificate name, or delete and purge the secret first.`, {
    kind: "certificate",
    objectName: name,
    statusCode: 409,
    serviceCode: "Conflict",
  });
}

function assertEnabledFlag(enabled: unknown, name: string): void {
  if (enabled !== undefined && typeof enabled !== "boolean") {
    throw new InvalidValueError("`enabled` must be true or false.", { secretName: name });
  }
}
