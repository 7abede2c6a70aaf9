import type { SecretStr } from "../core/secret-str.js";
import type { SecretPropertiesUpdate, SetSecretOptions } from "../core/types.js";
import { CertificateTable } from "./certificates/queries.js";
import { CertificateRepository } from "./certificates/repository.js";
import { checkVaultKey, readKeyMarker } from "./key-check.js";
import { KeyTable } from "./keys/queries.js";
import { KeyRepository } from "./keys/repository.js";
import { MetaTable } from "./meta.js";
import { openDatabase } from "./open-database.js";
import { vaultSettings, type OpenVaultOptions } from "./options.js";
import type { SecretRead } from "./read-cache.js";
import { SecretTable } from "./secrets/queries.js";
import { SecretRepository } from "./secrets/repository.js";
import { Statements } from "./statements.js";
import type { DatabaseSync } from "./sqlite.js";
import type { Page, PageRequest, StoredDeletedSecret, StoredSecret } from "./types.js";
import { VaultCore } from "./vault-core.js";
import { resolveVaultKey } from "./vault-key.js";

export type { OpenVaultOptions } from "./options.js";

/**
 * The embedded vault: one SQLite file holding every kind of object. The opened vault owns the
 * machinery the kinds share (vault-core.ts: transactions, busy handling, clock, purging, the read
 * cache, sealing) and the `meta` table, and hands out one repository per kind: `vault.secrets`,
 * `vault.keys` and `vault.certificates` (which owns a key and a secret per certificate).
 *
 * The keys and certificates repositories are made on first use: a `secrets get` never needs
 * them, and the CLI's get bundle is built without their code (key generation, X.509, node-forge;
 * scripts/bundle-cli.mjs). Purging is the vault's, not a repository's: every kind's table is
 * registered here, so a secrets read still purges keys and certificates past their date.
 */
export class LocalVault {
  readonly path: string;
  readonly secrets: SecretRepository;
  readonly #db: DatabaseSync;
  readonly #core: VaultCore;
  readonly #tables: { secrets: SecretTable; keys: KeyTable; certificates: CertificateTable };
  #keys: KeyRepository | undefined;
  #certificates: CertificateRepository | undefined;
  #open = true;

  private constructor(core: VaultCore, db: DatabaseSync) {
    this.path = core.path;
    this.#db = db;
    this.#core = core;
    this.#tables = { secrets: new SecretTable(core.sql), keys: new KeyTable(core.sql), certificates: new CertificateTable(core.sql) };
    for (const table of Object.values(this.#tables)) core.addPurgeable(table);
    this.secrets = new SecretRepository(core, this.#tables.secrets);
  }

  get keys(): KeyRepository {
    return (this.#keys ??= new KeyRepository(this.#core, this.#tables.keys));
  }

  get certificates(): CertificateRepository {
    return (this.#certificates ??= new CertificateRepository(this.#core, this.#tables.certificates, this.keys, this.secrets));
  }

  static open(options: OpenVaultOptions): LocalVault {
    const settings = vaultSettings(options);
    const db = openDatabase(settings.path, settings.busyTimeoutMs, settings.create);
    let core: VaultCore | undefined;
    try {
      const meta = new MetaTable(new Statements(db));
      const marker = readKeyMarker(meta);
      const key = resolveVaultKey(settings.keySource, marker === undefined);
      const opened = (core = new VaultCore(settings, db, key));
      const vault = new LocalVault(opened, db);
      checkVaultKey(meta, key, settings.path, (fn) => opened.write(fn), marker);
      return vault;
    } catch (error) {
      core?.close();
      db.close();
      throw error;
    }
  }

  /**
   * Deletes every object, live and deleted, in one transaction (the testing kit's `reset()`):
   * milliseconds, where a new file would cost a key check and a schema migration. The key marker
   * stays. Each new kind adds its tables here.
   */
  deleteEverything(): void {
    this.#core.write(() => {
      this.#db.exec("DELETE FROM versions; DELETE FROM secrets; DELETE FROM key_versions; DELETE FROM keys; DELETE FROM certificates; DELETE FROM certificate_issuers; DELETE FROM meta WHERE key = 'certificate-contacts';");
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
    this.#core.close();
    this.#db.close();
  }

  // The secret methods from before `vault.secrets`, kept so the many tests and benches that call
  // them need no churn; src/ calls `vault.secrets`, and new kinds get only their repository.
  setSecret(name: string, value: string | SecretStr, options?: SetSecretOptions): StoredSecret {
    return this.secrets.setSecret(name, value, options);
  }
  getSecret(name: string, version?: string): SecretRead {
    return this.secrets.getSecret(name, version);
  }
  updateSecretProperties(name: string, version: string | undefined, update: SecretPropertiesUpdate): StoredSecret {
    return this.secrets.updateSecretProperties(name, version, update);
  }
  listSecrets(page?: PageRequest): Page<StoredSecret> {
    return this.secrets.listSecrets(page);
  }
  listSecretVersions(name: string, page?: PageRequest): Page<StoredSecret> {
    return this.secrets.listSecretVersions(name, page);
  }
  deleteSecret(name: string): StoredDeletedSecret {
    return this.secrets.deleteSecret(name);
  }
  getDeletedSecret(name: string): StoredDeletedSecret {
    return this.secrets.getDeletedSecret(name);
  }
  listDeletedSecrets(page?: PageRequest): Page<StoredDeletedSecret> {
    return this.secrets.listDeletedSecrets(page);
  }
  recoverDeletedSecret(name: string): StoredSecret {
    return this.secrets.recoverDeletedSecret(name);
  }
  purgeDeletedSecret(name: string): void {
    this.secrets.purgeDeletedSecret(name);
  }
  backupSecret(name: string): Buffer {
    return this.secrets.backupSecret(name);
  }
  restoreSecretBackup(blob: Uint8Array): StoredSecret {
    return this.secrets.restoreSecretBackup(blob);
  }
}
