import { createPublicKey } from "node:crypto";
import { deletedButRecoverable, objectNotFound } from "../../core/object-errors.js";
import { assertValidName, assertValidVersion } from "../../core/rules.js";
import {
  createCsr,
  createSelfSignedCertificate,
  generateCertificateKey,
  normalisePolicy,
  policyFromCertificate,
  readCertificateContent,
  updatePolicy,
  type CertificatePolicy,
  type KeyPair,
} from "../../x509/index.js";
import { Lifecycle } from "../lifecycle.js";
import { decodeCursor, fetchLimit, toPage } from "../paging.js";
import type { SecretRepository } from "../secrets/repository.js";
import type { Page, PageRequest } from "../types.js";
import type { VaultCore } from "../vault-core.js";
import { newVersionId, versionKey } from "../versions.js";
import { backupCertificate, restoreCertificate } from "./backup.js";
import { checkAttributes, pemOf, pendingConflict, stamp, tagsJson } from "./checks.js";
import { CertificateIssuers } from "./issuers.js";
import { LinkedObjects, openKey, sealKey } from "./linked-objects.js";
import { storedVersion, type CertificateParts } from "./parts.js";
import { cancelOperation, deleteOperation, mergeSigned, operationOf, pendingCertificate } from "./pending.js";
import { prepareVersion, renewalDate } from "./prepared.js";
import { CertificateTable, type CertificateHead, type CertificatePropertiesRow, type CertificateVersionRow, type OperationRow } from "./queries.js";
import { policyOf, tagsOf, toStoredCertificate, toStoredDeletedCertificate, toStoredOperation, toStoredPending } from "./rows.js";
import type {
  CertificateAttributesInput,
  CertificateImportInput,
  CertificateKeys,
  StoredCertificate,
  StoredCertificateItem,
  StoredCertificateOperation,
  StoredDeletedCertificate,
  StoredPendingCertificate,
} from "./types.js";

/**
 * Key Vault's certificate semantics on the vault file (`vault.certificates`). A certificate owns
 * a key and a secret of its name (through `vault.keys` and `vault.secrets`, never the reverse).
 * Key generation and X.509 building are async and happen before the write lock; every write is
 * one transaction over the certificate, its key and its secret. AutoRenew runs on the store's
 * clock when a caller asks (renewDue), as the server and the local backend do before a read.
 */
export class CertificateRepository {
  readonly issuers: CertificateIssuers;
  readonly #core: VaultCore;
  readonly #table: CertificateTable;
  readonly #linked: LinkedObjects;
  readonly #parts: CertificateParts;
  readonly #lifecycle: Lifecycle<CertificateVersionRow, CertificatePropertiesRow, StoredCertificate, StoredDeletedCertificate>;

  /** `table`: the vault's one CertificateTable, which it also purges through (local-vault.ts). */
  constructor(core: VaultCore, table: CertificateTable, keys: CertificateKeys, secrets: SecretRepository) {
    this.#core = core;
    this.#table = table;
    this.#linked = new LinkedObjects(keys, secrets, this.#table, core.values);
    this.issuers = new CertificateIssuers(core);
    this.#parts = { core, table: this.#table, linked: this.#linked };
    this.#lifecycle = new Lifecycle(core, this.#table, {
      kind: "certificate",
      idOf: (row) => row.certificate_id,
      toLive: (row) => toStoredCertificate(row, core.retention),
      toDeleted: (row) => toStoredDeletedCertificate(row, core.retention),
      beforeRead: () => core.purgeIfDue(),
    });
  }

  /**
   * `POST /certificates/{n}/create`. Issuer Self: the version is made at once and the operation
   * answers completed. Any other issuer: a CSR waits for {@link mergeCertificate}.
   */
  async createCertificate(name: string, input: CertificateAttributesInput & { policy?: unknown } = {}): Promise<StoredCertificateOperation> {
    assertValidName(name, "certificate");
    checkAttributes(input, name);
    const nameKey = name.toLowerCase();
    const stored = this.#core.read(() => this.#table.certificate(nameKey));
    const policy = input.policy === undefined && stored ? policyOf(stored) : normalisePolicy(input.policy ?? {});
    const keys = await this.#keysFor(policy, stored);
    const csr = await createCsr(policy, keys);
    const self = policy.issuer.name === "Self";
    const prepared = self ? prepareVersion({ privateKey: keys.privateKey, certificate: await createSelfSignedCertificate(policy, keys, { now: this.#now() }), chain: [] }, policy) : undefined;
    const requestId = newVersionId();
    const sealedKey = self ? null : sealKey(this.#core.values, pemOf(keys.privateKey), nameKey, requestId);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const head = this.#liveHead(nameKey);
      const pending = head && this.#table.operation(head.id);
      if (pending?.status === "inProgress") throw pendingConflict(head!.name);
      const policyText = JSON.stringify(stamp(policy, head, now));
      const id = head?.id ?? this.#table.insertHead(nameKey, name, policyText);
      const attributes = { enabled: input.enabled !== false, tags: tagsJson(input.tags) };
      if (prepared) this.#linked.addVersion(id, head?.name ?? name, prepared, attributes, now);
      this.#table.setPolicy(id, policyText, prepared?.renewAt ?? null);
      const op: OperationRow = {
        certificate_id: id,
        request_id: requestId,
        status: self ? "completed" : "inProgress",
        status_details: self ? "" : "Pending certificate created. Please Perform Merge to complete the request.",
        cancellation_requested: 0,
        csr,
        private_key: sealedKey,
        tags: attributes.tags,
        enabled: attributes.enabled ? 1 : 0,
        error: null,
        created: now,
      };
      this.#table.putOperation(op);
      return toStoredOperation(this.#table.certificate(nameKey)!, op);
    });
  }

  getCertificateOperation(name: string): StoredCertificateOperation {
    const { head, op } = operationOf(this.#parts, name);
    return toStoredOperation(head, op);
  }

  cancelCertificateOperation(name: string): StoredCertificateOperation {
    return cancelOperation(this.#parts, name);
  }

  deleteCertificateOperation(name: string): StoredCertificateOperation {
    return deleteOperation(this.#parts, name);
  }

  /** `POST .../pending/merge`: the signed certificate (and its chain) for the pending CSR's key. */
  mergeCertificate(name: string, x5c: readonly (string | Uint8Array)[], input: CertificateAttributesInput = {}): StoredCertificate {
    return mergeSigned(this.#parts, name, x5c, input);
  }

  getPendingCertificate(name: string): StoredPendingCertificate & { policy: CertificatePolicy } {
    return pendingCertificate(this.#parts, name);
  }

  getCertificate(name: string, version?: string): StoredCertificate {
    assertValidName(name, "certificate");
    if (version !== undefined) assertValidVersion(version);
    this.#core.purgeIfDue();
    const row = this.#core.read(() => this.#table.live(name.toLowerCase(), version === undefined ? undefined : versionKey(version)));
    if (!row) throw objectNotFound("certificate", name, version);
    return toStoredCertificate(row, this.#core.retention);
  }

  /** Enabled and tags; the validity is the certificate's own. `enabled` also applies to the key and secret version. */
  updateCertificateProperties(name: string, version: string | undefined, update: CertificateAttributesInput): StoredCertificate {
    assertValidName(name, "certificate");
    if (version !== undefined) assertValidVersion(version);
    checkAttributes(update, name);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const row = this.#table.live(name.toLowerCase(), version === undefined ? undefined : versionKey(version));
      if (!row) throw objectNotFound("certificate", name, version);
      const enabled = update.enabled === undefined ? row.enabled : update.enabled ? 1 : 0;
      this.#table.updateVersion(row.seq, { enabled, tags: update.tags === undefined ? row.tags : tagsJson(update.tags), updated: now });
      if (update.enabled !== undefined) this.#linked.setEnabled(row.name, row.version, update.enabled);
      return this.#stored(row.name, row.version);
    });
  }

  getCertificatePolicy(name: string): CertificatePolicy {
    assertValidName(name, "certificate");
    this.#core.purgeIfDue();
    const head = this.#core.read(() => this.#table.certificate(name.toLowerCase()));
    if (!head || head.deleted_date !== null) throw objectNotFound("certificate", name);
    return policyOf(head);
  }

  /** Members sent replace the stored ones section by section; the renewal date follows the new lifetime actions. */
  updateCertificatePolicy(name: string, patch: unknown): CertificatePolicy {
    assertValidName(name, "certificate");
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const head = this.#table.certificate(name.toLowerCase());
      if (!head || head.deleted_date !== null) throw objectNotFound("certificate", name);
      const policy = stamp(updatePolicy(policyOf(head), patch), head, now);
      const latest = this.#table.live(head.name_key);
      const renewAt = latest ? renewalDate(policy, new Date(latest.nbf * 1000), new Date(latest.exp * 1000)) : null;
      this.#table.setPolicy(head.id, JSON.stringify(policy), renewAt);
      return policy;
    });
  }

  /** PEM or PFX (told apart by content), with its private key; a policy sent overrides what the certificate says. */
  importCertificate(name: string, input: CertificateImportInput): StoredCertificate {
    assertValidName(name, "certificate");
    checkAttributes(input, name);
    const options = { ...(input.password === undefined ? {} : { password: input.password }), ...(input.preserveCertOrder ? { preserveOrder: true } : {}) };
    const imported = readCertificateContent(input.value, options);
    const fromCertificate = policyFromCertificate(imported.material.certificate, imported.contentType);
    const nameKey = name.toLowerCase();
    const policy = input.policy === undefined ? fromCertificate : updatePolicy(fromCertificate, input.policy);
    const prepared = prepareVersion(imported.material, policy);
    return this.#core.write(() => {
      const now = this.#core.purgeExpired();
      const head = this.#liveHead(nameKey);
      if (head && this.#table.operation(head.id)?.status === "inProgress") throw pendingConflict(head.name);
      const policyText = JSON.stringify(stamp(policy, head, now));
      const id = head?.id ?? this.#table.insertHead(nameKey, name, policyText);
      const version = this.#linked.addVersion(id, head?.name ?? name, prepared, { enabled: input.enabled !== false, tags: tagsJson(input.tags) }, now);
      this.#table.setPolicy(id, policyText, prepared.renewAt);
      return this.#stored(head?.name ?? name, version);
    });
  }

  /** The latest version of each live certificate by lowercase name; `includePending` adds those awaiting a merge. */
  listCertificates(page: PageRequest & { includePending?: boolean } = {}): Page<StoredCertificateItem> {
    const limit = fetchLimit(page);
    const after = page.after === undefined ? "" : (decodeCursor(page.after, ["string"])[0] as string);
    this.#core.purgeIfDue();
    const rows = this.#core.scan(() => (page.includePending ? this.#table.listWithPending(after, limit) : this.#table.listLive(after, limit)));
    return toPage(
      rows,
      page,
      (row) => (row.seq === null ? toStoredPending(row, this.#table.operation(row.id)!, this.#core.retention) : toStoredCertificate(row as never, this.#core.retention)),
      (row) => [row.name_key],
    );
  }

  listCertificateVersions(name: string, page: PageRequest = {}): Page<StoredCertificate> {
    return this.#lifecycle.versions(name, page);
  }

  /** Soft-deletes the certificate with its key and secret, on one schedule; a pending operation goes. */
  deleteCertificate(name: string): StoredDeletedCertificate {
    return this.#core.write(() => {
      const deleted = this.#lifecycle.delete(name);
      const head = this.#table.certificate(name.toLowerCase())!;
      this.#table.removeOperation(head.id);
      this.#linked.delete(deleted.name);
      return deleted;
    });
  }

  getDeletedCertificate(name: string): StoredDeletedCertificate {
    return this.#lifecycle.getDeleted(name);
  }

  listDeletedCertificates(page: PageRequest = {}): Page<StoredDeletedCertificate> {
    return this.#lifecycle.listDeleted(page);
  }

  recoverDeletedCertificate(name: string): StoredCertificate {
    return this.#core.write(() => {
      const recovered = this.#lifecycle.recover(name);
      this.#linked.recover(recovered.name);
      return recovered;
    });
  }

  purgeDeletedCertificate(name: string): void {
    this.#core.write(() => {
      const head = this.#table.certificate(name.toLowerCase());
      this.#lifecycle.purge(name);
      this.#linked.purge(head!.name);
    });
  }

  /** Every version (with its private key), the policy and the key's own backup, in one sealed blob. */
  backupCertificate(name: string): Buffer {
    return backupCertificate(this.#parts, name);
  }

  /** Restores under the backup's name with its version ids; the name must be free for all three objects. */
  restoreCertificateBackup(blob: Uint8Array): StoredCertificate {
    return restoreCertificate(this.#parts, blob);
  }

  /**
   * AutoRenew on the store's clock: every live self-issued certificate whose action fell due gets
   * a new version with its policy (a new key unless reuse_key). Returns the new versions.
   */
  async renewDue(): Promise<StoredCertificate[]> {
    const due = this.#core.read(() => this.#table.renewalsDue(this.#core.now()));
    const renewed: StoredCertificate[] = [];
    for (const head of due) {
      const latest = this.#core.read(() => this.#table.live(head.name_key));
      if (!latest) continue;
      await this.createCertificate(head.name, { enabled: true, tags: tagsOf(latest.tags) });
      renewed.push(this.getCertificate(head.name));
    }
    return renewed;
  }

  /** A pending operation's key, or the latest version's when the policy reuses it, or a new pair. */
  async #keysFor(policy: CertificatePolicy, head: CertificateHead | undefined): Promise<KeyPair> {
    if (policy.key_props.reuse_key && head) {
      const latest = this.#core.read(() => this.#table.live(head.name_key));
      if (latest) {
        const privateKey = openKey(this.#core.values, latest.private_key, latest.name, latest.version);
        return { privateKey, publicKey: createPublicKey(privateKey) };
      }
    }
    return generateCertificateKey(policy.key_props);
  }

  /** A live head (or none); a deleted certificate's name cannot be reused until recovered or purged. */
  #liveHead(nameKey: string): CertificateHead | undefined {
    const head = this.#table.certificate(nameKey);
    if (head && head.deleted_date !== null) throw deletedButRecoverable("certificate", head.name);
    return head;
  }

  #stored(name: string, version: string): StoredCertificate {
    return storedVersion(this.#parts, name, version);
  }

  #now(): Date {
    return new Date(this.#core.now() * 1000);
  }
}
