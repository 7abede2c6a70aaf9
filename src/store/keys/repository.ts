import type { KeyRotationPolicy } from "../../core/key-types.js";
import { alreadyExists, deletedButRecoverable, managedByKeyVault, objectNotFound } from "../../core/object-errors.js";
import { assertValidName, assertValidVersion } from "../../core/rules.js";
import { generateKey, type KeySpec } from "../../crypto/key-generate.js";
import { importPrivateJwk, parseKeyOps } from "../../crypto/jwk-import.js";
import { familyOf, type KeyMaterial } from "../../crypto/key-material.js";
import { privateKeyToBytes } from "../../crypto/private-form.js";
import type { JsonWebKey, SignatureAlgorithm } from "../../crypto/types.js";
import { Lifecycle } from "../lifecycle.js";
import { MAX_BACKUP_VERSIONS } from "../sealed-blob.js";
import { tagsText } from "../row-text.js";
import type { Page, PageRequest } from "../types.js";
import type { VaultCore } from "../vault-core.js";
import { newVersionId, versionKey } from "../versions.js";
import { checkAttributes, checkUpdate, defaultKeyOps, type VersionAttributes } from "./attributes.js";
import { packKeyBackup, unpackKeyBackup } from "./backup-blob.js";
import { AutoRotation, specOf } from "./auto-rotation.js";
import { KeyOperations } from "./key-operations.js";
import { KeyTable } from "./queries.js";
import { checkPolicy, parseStoredPolicy, rotatedExpiry, rotationDue, toRotationPolicy, type StoredPolicy } from "./rotation-policy.js";
import { sealedPrivate, toStoredDeletedKey, toStoredKey, type KeyPropertiesRow, type KeyVersionFields, type KeyVersionRow } from "./rows.js";
import type { CryptoRequest, KeyStore, StoredCryptoResult, StoredDeletedKey, StoredKey, StoredKeyAttributes, StoredKeyCreate, StoredKeyUpdate } from "./types.js";
import { versionFields } from "./version-fields.js";

/**
 * Key Vault's key semantics on the vault's SQLite file (`vault.keys`). Reads and writes are
 * synchronous (node:sqlite); key generation and the operations are async. Private material is
 * sealed before the write lock is taken (AAD `key:name/version`) and opened only by
 * key-operations.ts; every read first purges and auto-rotates what is due (auto-rotation.ts).
 */
export class KeyRepository implements KeyStore {
  readonly #core: VaultCore;
  readonly #table: KeyTable;
  readonly #lifecycle: Lifecycle<KeyVersionRow, KeyPropertiesRow, StoredKey, StoredDeletedKey>;
  readonly #ops: KeyOperations;
  readonly #rotation: AutoRotation;

  /** `table`: the vault's one KeyTable, which it also purges through (local-vault.ts). */
  constructor(core: VaultCore, table: KeyTable) {
    this.#core = core;
    this.#table = table;
    this.#lifecycle = new Lifecycle(core, this.#table, {
      kind: "key",
      idOf: (row) => row.key_id,
      isManaged: (row) => row.managed === 1,
      toLive: (row) => toStoredKey(row, core.retention),
      toDeleted: (row) => toStoredDeletedKey(row, core.retention),
      beforeRead: () => this.#beforeRead(),
    });
    this.#ops = new KeyOperations(core, (name, version) => this.#liveRow(name, version));
    this.#rotation = new AutoRotation(core, this.#table, (latest, material, now) => void this.#insertRotated(latest, material, now));
  }

  async createKey(name: string, spec: StoredKeyCreate): Promise<StoredKey> {
    assertValidName(name, "key");
    const attributes = checkAttributes(spec);
    const material = await generateKey(keySpec(spec));
    return this.#addVersion(name, material, attributes);
  }

  importKey(name: string, jwk: unknown, attributes: StoredKeyAttributes & { hsm?: boolean } = {}): StoredKey {
    assertValidName(name, "key");
    const checked = checkAttributes(attributes);
    const material = importPrivateJwk(jwk, attributes.hsm === undefined ? {} : { hsm: attributes.hsm === true });
    // importPrivateJwk took it, so it is an object; the request's key_ops win over the JWK's.
    const keyOps = checked.keyOps ?? parseKeyOps((jwk as { key_ops?: unknown }).key_ops);
    return this.#addVersion(name, material, { ...checked, keyOps });
  }

  getKey(name: string, version?: string): StoredKey {
    return toStoredKey(this.#liveRow(name, version), this.#core.retention);
  }

  /** Changes one version (the latest when `version` is undefined); works on a disabled one, to re-enable it. */
  /** `byCertificate`: the certificates repository changing its own key (a managed one refuses everyone else). */
  updateKeyProperties(name: string, version: string | undefined, update: StoredKeyUpdate, byCertificate = false): StoredKey {
    assertValidName(name, "key");
    if (version !== undefined) assertValidVersion(version);
    const u = checkUpdate(update);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const row = this.#table.live(name.toLowerCase(), version === undefined ? undefined : versionKey(version));
      if (!row) throw objectNotFound("key", name, version);
      if (!byCertificate && row.managed === 1) throw managedByKeyVault("key", row.name, "update");
      const changed = {
        enabled: u.enabled === undefined ? row.enabled : u.enabled ? 1 : 0,
        nbf: u.notBefore === undefined ? row.nbf : u.notBefore,
        exp: u.expiresOn === undefined ? row.exp : u.expiresOn,
        tags: u.tags === undefined ? row.tags : tagsText(u.tags),
        key_ops: u.keyOps === undefined ? row.key_ops : JSON.stringify([...new Set(u.keyOps)]),
        updated: now,
      };
      this.#table.updateVersion(row.seq, changed);
      // The latest version's expiry may move a timeBeforeExpiry rotation.
      this.#refreshRotation(row.key_id, name.toLowerCase());
      return toStoredKey({ ...row, ...changed }, this.#core.retention);
    });
  }

  listKeys(page?: PageRequest): Page<StoredKey> {
    return this.#lifecycle.list(page);
  }

  listKeyVersions(name: string, page?: PageRequest): Page<StoredKey> {
    return this.#lifecycle.versions(name, page);
  }

  deleteKey(name: string, byCertificate = false): StoredDeletedKey {
    return this.#lifecycle.delete(name, byCertificate);
  }

  getDeletedKey(name: string): StoredDeletedKey {
    return this.#lifecycle.getDeleted(name);
  }

  listDeletedKeys(page?: PageRequest): Page<StoredDeletedKey> {
    return this.#lifecycle.listDeleted(page);
  }

  /** Brings back every version and the rotation policy; returns the latest. */
  recoverDeletedKey(name: string): StoredKey {
    return this.#lifecycle.recover(name);
  }

  purgeDeletedKey(name: string): void {
    this.#lifecycle.purge(name);
  }

  /** Every version with its private material and the rotation policy, sealed into one blob under the backup key. */
  backupKey(name: string): Buffer {
    assertValidName(name, "key");
    this.#beforeRead();
    const nameKey = name.toLowerCase();
    const [rows, policy] = this.#core.read(() => {
      // One over the limit is enough to refuse; more would only be read to be dropped.
      const versions = this.#table.versions(nameKey, 0, MAX_BACKUP_VERSIONS + 1);
      return [versions, versions.length === 0 ? null : this.#table.rotationPolicy(versions[0]!.key_id)] as const;
    });
    if (rows.length === 0) throw objectNotFound("key", name);
    return packKeyBackup(this.#core.backupKeys, rows[0]!.name, policy, rows, (row) => this.#core.values.openBytes(sealedPrivate(row), "key"));
  }

  /** Restores under the backup's name, keeping version ids, dates and the policy; the name must be free. */
  restoreKeyBackup(blob: Uint8Array): StoredKey {
    const backup = unpackKeyBackup(this.#core.backupKeys, blob);
    const nameKey = backup.name.toLowerCase();
    const versions = backup.versions.map(({ material, fields }) => ({
      ...fields,
      ...versionFields(material, fields.version, this.#seal(material, nameKey, fields.version)),
    }));
    return this.#core.write(() => {
      this.#core.purgeExpired();
      if (this.#table.head(nameKey)) throw alreadyExists("key", backup.name);
      const keyId = this.#table.insertObject(nameKey, backup.name);
      for (const version of versions) this.#table.insertVersion(keyId, nameKey, version);
      this.#table.setRotationPolicy(keyId, backup.rotationPolicy);
      this.#refreshRotation(keyId, nameKey);
      return toStoredKey(this.#table.live(nameKey)!, this.#core.retention);
    });
  }

  /** A new version with the latest version's parameters, key_ops, tags and flags, and the policy's expiry. */
  async rotateKey(name: string): Promise<StoredKey> {
    const latest = this.#liveRow(name);
    const material = await generateKey(specOf(latest));
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const row = this.#table.live(latest.name_key);
      if (!row) throw objectNotFound("key", name);
      if (row.managed === 1) throw managedByKeyVault("key", row.name, "rotate");
      return this.#insertRotated(row, material, now);
    });
  }

  getRotationPolicy(name: string): KeyRotationPolicy {
    const row = this.#liveRow(name);
    return toRotationPolicy(this.#core.read(() => parseStoredPolicy(this.#table.rotationPolicy(row.key_id))));
  }

  setRotationPolicy(name: string, policy: KeyRotationPolicy): KeyRotationPolicy {
    assertValidName(name, "key");
    const checked = checkPolicy(policy);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const row = this.#table.live(name.toLowerCase());
      if (!row) throw objectNotFound("key", name);
      const before = parseStoredPolicy(this.#table.rotationPolicy(row.key_id));
      const stored: StoredPolicy = { ...checked, created: before?.created ?? now, updated: now };
      this.#table.setRotationPolicy(row.key_id, JSON.stringify(stored));
      this.#table.setRotateDue(row.key_id, rotationDue(stored, row));
      return toRotationPolicy(stored);
    });
  }

  exportKey(name: string, version?: string): JsonWebKey {
    return this.#ops.exportKey(name, version);
  }

  encrypt(name: string, version: string | undefined, request: CryptoRequest): Promise<StoredCryptoResult> {
    return this.#ops.encrypt(name, version, request);
  }

  decrypt(name: string, version: string | undefined, request: CryptoRequest): Promise<StoredCryptoResult> {
    return this.#ops.decrypt(name, version, request);
  }

  wrapKey(name: string, version: string | undefined, request: CryptoRequest): Promise<StoredCryptoResult> {
    return this.#ops.wrapKey(name, version, request);
  }

  unwrapKey(name: string, version: string | undefined, request: CryptoRequest): Promise<StoredCryptoResult> {
    return this.#ops.unwrapKey(name, version, request);
  }

  sign(name: string, version: string | undefined, alg: SignatureAlgorithm, digest: Uint8Array): Promise<StoredCryptoResult> {
    return this.#ops.sign(name, version, alg, digest);
  }

  verify(name: string, version: string | undefined, alg: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): Promise<boolean> {
    return this.#ops.verify(name, version, alg, digest, signature);
  }

  #liveRow(name: string, version?: string): KeyVersionRow {
    assertValidName(name, "key");
    if (version !== undefined) assertValidVersion(version);
    this.#beforeRead();
    const row = this.#core.read(() => this.#table.live(name.toLowerCase(), version === undefined ? undefined : versionKey(version)));
    if (!row) throw objectNotFound("key", name, version);
    return row;
  }

  #seal(material: KeyMaterial, nameKey: string, version: string): Buffer {
    const bytes = privateKeyToBytes(material);
    try {
      return this.#core.values.sealBytes(bytes, "key", nameKey, version);
    } finally {
      bytes.fill(0);
    }
  }

  #addVersion(name: string, material: KeyMaterial, a: VersionAttributes): StoredKey {
    const nameKey = name.toLowerCase();
    const version = newVersionId();
    const sealed = this.#seal(material, nameKey, version);
    const keyOps = a.keyOps ?? defaultKeyOps(familyOf(material.kty));
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const head = this.#table.head(nameKey);
      if (head && head.deleted_date !== null) throw deletedButRecoverable("key", head.name);
      // A certificate's key gets new versions only from its certificate.
      if (head && a.managed !== 1 && this.#table.latestManaged(nameKey)) throw managedByKeyVault("key", head.name, "create");
      const keyId = head?.id ?? this.#table.insertObject(nameKey, name);
      const fields: KeyVersionFields = {
        ...versionFields(material, version, sealed),
        key_ops: JSON.stringify(keyOps),
        tags: a.tags,
        enabled: a.enabled,
        nbf: a.nbf,
        exp: a.exp,
        exportable: a.exportable,
        managed: a.managed,
        created: now,
        updated: now,
      };
      return this.#insert(keyId, head?.name ?? name, nameKey, fields);
    });
  }

  /** Inside a write: the rotated version of `latest`, made with `material`. */
  #insertRotated(latest: KeyVersionRow, material: KeyMaterial, now: number): StoredKey {
    const policy = parseStoredPolicy(this.#table.rotationPolicy(latest.key_id));
    const version = newVersionId();
    const fields: KeyVersionFields = {
      ...versionFields(material, version, this.#seal(material, latest.name_key, version)),
      key_ops: latest.key_ops,
      tags: latest.tags,
      enabled: 1,
      nbf: null,
      exp: rotatedExpiry(policy, now),
      exportable: latest.exportable,
      managed: latest.managed,
      created: now,
      updated: now,
    };
    return this.#insert(latest.key_id, latest.name, latest.name_key, fields);
  }

  #insert(keyId: number, name: string, nameKey: string, fields: KeyVersionFields): StoredKey {
    const seq = this.#table.insertVersion(keyId, nameKey, fields);
    this.#table.setRotateDue(keyId, rotationDue(parseStoredPolicy(this.#table.rotationPolicy(keyId)), fields));
    const row: KeyVersionRow = { ...fields, key_id: keyId, seq, name, name_key: nameKey, deleted_date: null, scheduled_purge_date: null };
    return toStoredKey(row, this.#core.retention);
  }

  /** Inside a write: recomputes when the key's Rotate action falls due, from its latest version. */
  #refreshRotation(keyId: number, nameKey: string): void {
    const latest = this.#table.live(nameKey);
    const policy = parseStoredPolicy(this.#table.rotationPolicy(keyId));
    this.#table.setRotateDue(keyId, latest ? rotationDue(policy, latest) : null);
  }

  #beforeRead(): void {
    this.#core.purgeIfDue();
    this.#rotation.rotateIfDue();
  }
}

function keySpec(spec: StoredKeyCreate): KeySpec {
  const out: KeySpec = { kty: spec.kty };
  if (spec.keySize !== undefined) out.keySize = spec.keySize;
  if (spec.publicExponent !== undefined) out.publicExponent = spec.publicExponent;
  if (spec.crv !== undefined) out.crv = spec.crv;
  return out;
}
