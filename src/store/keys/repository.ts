import type { KeyRotationPolicy } from "../../core/key-types.js";
import { alreadyExists, deletedButRecoverable, objectNotFound } from "../../core/object-errors.js";
import { assertValidName, assertValidVersion } from "../../core/rules.js";
import { assertUsable } from "../../crypto/assert-usable.js";
import { PermissionDeniedError } from "../../core/errors.js";
import { generateKey, generateKeySync, type KeySpec } from "../../crypto/key-generate.js";
import { importPrivateJwk, parseKeyOps } from "../../crypto/jwk-import.js";
import { privateJwk } from "../../crypto/jwk-export.js";
import { familyOf, type KeyMaterial } from "../../crypto/key-material.js";
import { decrypt, encrypt, sign, unwrapKey, verify, wrapKey } from "../../crypto/operations.js";
import { privateKeyFromBytes, privateKeyToBytes } from "../../crypto/private-form.js";
import type { CryptoOperation, JsonWebKey, SignatureAlgorithm } from "../../crypto/types.js";
import { isVaultLocked } from "../errors.js";
import { Lifecycle } from "../lifecycle.js";
import { tagsText } from "../row-text.js";
import type { Page, PageRequest } from "../types.js";
import type { VaultCore } from "../vault-core.js";
import { newVersionId, versionKey } from "../versions.js";
import { checkAttributes, checkUpdate, defaultKeyOps, type VersionAttributes } from "./attributes.js";
import { packKeyBackup, unpackKeyBackup } from "./backup-blob.js";
import { MaterialCache } from "./material-cache.js";
import { KeyTable } from "./queries.js";
import { checkPolicy, parseStoredPolicy, rotatedExpiry, rotationDue, toRotationPolicy, type StoredPolicy } from "./rotation-policy.js";
import { keyOpsOf, sealedPrivate, toStoredDeletedKey, toStoredKey, type KeyVersionFields, type KeyVersionRow } from "./rows.js";
import type { CryptoRequest, KeyStore, StoredCryptoResult, StoredDeletedKey, StoredKey, StoredKeyAttributes, StoredKeyCreate, StoredKeyUpdate } from "./types.js";
import { versionFields } from "./version-fields.js";

/**
 * Key Vault's key semantics on the vault's SQLite file (`vault.keys`). Reads and writes are
 * synchronous (node:sqlite); key generation and the operations are async. Private material is
 * sealed before the write lock is taken and opened only to run an operation or an export; every
 * operation first reads the version's row, so enabled, key_ops, nbf/exp and deletion are checked
 * against the file on the store's clock (assertUsable).
 *
 * Auto-rotation runs on read, like purging: at most once per clock second, before answering, any
 * live key whose policy's Rotate time has passed gets its new version. There is no timer to own
 * (a CLI run lasts milliseconds, a server shares the file with others), and a test moving the
 * injected clock sees the rotation on its next call. A due key is rare (a rotation period is at
 * least 7 days), so the read that finds it pays for one key generation on this thread.
 */
export class KeyRepository implements KeyStore {
  readonly #core: VaultCore;
  readonly #table: KeyTable;
  readonly #lifecycle: Lifecycle<KeyVersionRow, StoredKey, StoredDeletedKey>;
  readonly #materials = new MaterialCache(256);
  #lastRotationCheck = Number.NaN;

  constructor(core: VaultCore) {
    this.#core = core;
    this.#table = new KeyTable(core.sql);
    core.addPurgeable(this.#table);
    this.#lifecycle = new Lifecycle(core, this.#table, {
      kind: "key",
      idOf: (row) => row.key_id,
      toLive: (row) => toStoredKey(row, core.retention),
      toDeleted: (row) => toStoredDeletedKey(row, core.retention),
      beforeRead: () => this.#beforeRead(),
    });
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
  updateKeyProperties(name: string, version: string | undefined, update: StoredKeyUpdate): StoredKey {
    assertValidName(name, "key");
    if (version !== undefined) assertValidVersion(version);
    const u = checkUpdate(update);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const row = this.#table.live(name.toLowerCase(), version === undefined ? undefined : versionKey(version));
      if (!row) throw objectNotFound("key", name, version);
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

  deleteKey(name: string): StoredDeletedKey {
    return this.#lifecycle.delete(name);
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
      const versions = this.#table.versions(nameKey, 0, -1);
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
      for (const version of versions) this.#table.insertVersion(keyId, version);
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
    const row = this.#liveRow(name, version);
    if (row.exportable !== 1) {
      throw new PermissionDeniedError(`Key ${row.name} is not exportable; only a key created or imported as exportable can leave the vault.`, {
        kind: "key",
        objectName: row.name,
        statusCode: 403,
        serviceCode: "Forbidden",
      });
    }
    const keyOps = keyOpsOf(row);
    return { ...privateJwk(this.#material(row)), ...(keyOps === undefined ? {} : { key_ops: keyOps }) };
  }

  async encrypt(name: string, version: string | undefined, r: CryptoRequest): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "encrypt");
    const out = await encrypt(material, r.alg, r.value, { iv: r.iv, aad: r.aad });
    const result: StoredCryptoResult = { version: row.version, result: out.result };
    if (out.iv !== undefined) result.iv = out.iv;
    if (out.tag !== undefined) result.authenticationTag = out.tag;
    if (out.aad !== undefined) result.additionalAuthenticatedData = out.aad;
    return result;
  }

  async decrypt(name: string, version: string | undefined, r: CryptoRequest): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "decrypt");
    return { version: row.version, result: await decrypt(material, r.alg, r.value, { iv: r.iv, aad: r.aad, tag: r.tag }) };
  }

  async wrapKey(name: string, version: string | undefined, r: CryptoRequest): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "wrapKey");
    return { version: row.version, result: await wrapKey(material, r.alg, r.value) };
  }

  async unwrapKey(name: string, version: string | undefined, r: CryptoRequest): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "unwrapKey");
    return { version: row.version, result: await unwrapKey(material, r.alg, r.value) };
  }

  async sign(name: string, version: string | undefined, alg: SignatureAlgorithm, digest: Uint8Array): Promise<StoredCryptoResult> {
    const { row, material } = this.#usable(name, version, "sign");
    return { version: row.version, result: await sign(material, alg, digest) };
  }

  async verify(name: string, version: string | undefined, alg: SignatureAlgorithm, digest: Uint8Array, signature: Uint8Array): Promise<boolean> {
    const { material } = this.#usable(name, version, "verify");
    return verify(material, alg, digest, signature);
  }

  /** The version's row and material, once assertUsable lets `op` run on it now. */
  #usable(name: string, version: string | undefined, op: CryptoOperation): { row: KeyVersionRow; material: KeyMaterial } {
    const row = this.#liveRow(name, version);
    const usage = { enabled: row.enabled === 1, name: row.name, ...optionalDates(row) };
    const keyOps = keyOpsOf(row);
    assertUsable(keyOps === undefined ? usage : { ...usage, keyOps }, op, new Date(this.#core.now() * 1000));
    return { row, material: this.#material(row) };
  }

  #material(row: KeyVersionRow): KeyMaterial {
    return this.#materials.get(`${row.name_key}/${row.version}`, () => {
      const bytes = this.#core.values.openBytes(sealedPrivate(row), "key");
      try {
        return privateKeyFromBytes(bytes);
      } finally {
        bytes.fill(0);
      }
    });
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
    const seq = this.#table.insertVersion(keyId, fields);
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
    this.#rotateIfDue();
  }

  /** At most once per clock second: rotates every live key whose Rotate time has passed. */
  #rotateIfDue(): void {
    const now = this.#core.now();
    if (now === this.#lastRotationCheck) return;
    this.#lastRotationCheck = now;
    try {
      const due = this.#core.read(() => (this.#table.anyRotationDue(now) ? this.#table.rotationsDue(now) : []));
      for (const { id, name_key } of due) {
        const latest = this.#core.read(() => this.#table.live(name_key));
        if (!latest) continue;
        // Generated before the lock, kept short; under the lock the key must still be due and
        // unchanged, or another process (or call) rotated it first and this material is dropped.
        const material = generateKeySync(specOf(latest));
        this.#core.write(() => {
          const current = this.#table.live(name_key);
          const dueAt = rotationDue(parseStoredPolicy(this.#table.rotationPolicy(id)), current ?? latest);
          if (current?.seq === latest.seq && dueAt !== null && dueAt <= now) this.#insertRotated(current, material, now);
        });
      }
    } catch (error) {
      // As for purging: a busy file lets the rotation wait for the next read.
      if (!isVaultLocked(error)) throw error;
    }
  }
}

function keySpec(spec: StoredKeyCreate): KeySpec {
  const out: KeySpec = { kty: spec.kty };
  if (spec.keySize !== undefined) out.keySize = spec.keySize;
  if (spec.publicExponent !== undefined) out.publicExponent = spec.publicExponent;
  if (spec.crv !== undefined) out.crv = spec.crv;
  return out;
}

/** The parameters of a stored version, to make another like it. */
function specOf(row: KeyVersionFields): KeySpec {
  const spec: KeySpec = { kty: row.kty };
  if (row.key_size !== null) spec.keySize = row.key_size;
  if (row.crv !== null) spec.crv = row.crv;
  const e = (JSON.parse(row.public_jwk) as { e?: string }).e;
  if (e !== undefined) spec.publicExponent = Number.parseInt(Buffer.from(e, "base64url").toString("hex"), 16);
  return spec;
}

function optionalDates(row: KeyVersionFields): { notBefore?: Date; expiresOn?: Date } {
  return {
    ...(row.nbf === null ? {} : { notBefore: new Date(row.nbf * 1000) }),
    ...(row.exp === null ? {} : { expiresOn: new Date(row.exp * 1000) }),
  };
}
