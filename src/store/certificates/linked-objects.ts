import { createPrivateKey, type KeyObject } from "node:crypto";
import { ConflictError, NotFoundError } from "../../core/errors.js";
import type { SecretRepository } from "../secrets/repository.js";
import type { ValueSeal } from "../value-seal.js";
import type { PreparedVersion } from "./prepared.js";
import type { CertificateTable } from "./queries.js";
import { chainText } from "./rows.js";
import type { CertificateKeys } from "./types.js";

/**
 * A certificate's key and secret: one name, one version string, written, deleted, recovered and
 * purged with the certificate, inside its transaction (VaultCore.write joins nested writes), so a
 * failure anywhere leaves none of the three.
 */
export class LinkedObjects {
  readonly #keys: CertificateKeys;
  readonly #secrets: SecretRepository;
  readonly #table: CertificateTable;
  readonly #seal: ValueSeal;

  constructor(keys: CertificateKeys, secrets: SecretRepository, table: CertificateTable, seal: ValueSeal) {
    this.#keys = keys;
    this.#secrets = secrets;
    this.#table = table;
    this.#seal = seal;
  }

  /**
   * Inside a write: the key (whose new version id becomes the certificate's and the secret's),
   * the secret, then the certificate version. Returns the version id.
   */
  addVersion(certificateId: number, name: string, prepared: PreparedVersion, attributes: { enabled: boolean; tags: string | null }, now: number): string {
    this.#refuseForeignKey(name);
    const validity = { notBefore: prepared.notBefore, expiresOn: prepared.expiresOn };
    const key = this.#keys.importKey(name, prepared.jwk, {
      ...validity,
      enabled: attributes.enabled,
      exportable: prepared.exportable,
      keyOps: prepared.keyOps,
      managed: true,
      hsm: prepared.hsm,
    });
    const version = key.version;
    this.#secrets.setManagedSecret(name, version, prepared.secretValue, {
      contentType: prepared.contentType,
      enabled: attributes.enabled,
      notBefore: new Date(prepared.notBefore * 1000),
      expiresOn: new Date(prepared.expiresOn * 1000),
    });
    const nameKey = name.toLowerCase();
    this.#table.insertVersion(certificateId, nameKey, {
      version,
      cer: prepared.material.certificate,
      chain: chainText(prepared.material.chain),
      private_key: sealKey(this.#seal, prepared.privatePem, nameKey, version),
      tags: attributes.tags,
      enabled: attributes.enabled ? 1 : 0,
      nbf: prepared.notBefore,
      exp: prepared.expiresOn,
      created: now,
      updated: now,
    });
    return version;
  }

  /** `enabled` follows the certificate onto its key and secret version. */
  setEnabled(name: string, version: string, enabled: boolean): void {
    ignoreMissing(() => this.#keys.updateKeyProperties(name, version, { enabled }, true));
    ignoreMissing(() => this.#secrets.updateSecretProperties(name, version, { enabled }, true));
  }

  delete(name: string): void {
    ignoreMissing(() => this.#keys.deleteKey(name, true));
    ignoreMissing(() => this.#secrets.deleteSecret(name, true));
  }

  recover(name: string): void {
    ignoreMissing(() => this.#keys.recoverDeletedKey(name));
    ignoreMissing(() => this.#secrets.recoverDeletedSecret(name));
  }

  purge(name: string): void {
    ignoreMissing(() => this.#keys.purgeDeletedKey(name));
    ignoreMissing(() => this.#secrets.purgeDeletedSecret(name));
  }

  backupKey(name: string): Buffer {
    return this.#keys.backupKey(name);
  }

  /** Restores the key with its version ids, then a managed secret per certificate version. */
  restore(name: string, keyBlob: Uint8Array, secrets: readonly { version: string; value: string; contentType: string; enabled: boolean; notBefore: number; expiresOn: number }[]): void {
    this.#keys.restoreKeyBackup(keyBlob);
    for (const s of secrets) {
      this.#secrets.setManagedSecret(name, s.version, s.value, {
        contentType: s.contentType,
        enabled: s.enabled,
        notBefore: new Date(s.notBefore * 1000),
        expiresOn: new Date(s.expiresOn * 1000),
      });
    }
  }

  #refuseForeignKey(name: string): void {
    let managed: boolean | undefined;
    try {
      managed = this.#keys.getKey(name).managed;
    } catch (error) {
      if (!(error instanceof NotFoundError)) throw error;
    }
    if (managed === false) {
      throw new ConflictError(`A key named ${name} already exists and does not belong to a certificate; choose another certificate name, or delete and purge the key first.`, {
        kind: "certificate",
        objectName: name,
        statusCode: 409,
        serviceCode: "Conflict",
      });
    }
  }
}

/**
 * The private key kept with a certificate version or a pending operation (for a PEM or PFX
 * download and for a renewal that reuses the key, whether or not the key is exportable): PKCS#8
 * PEM, sealed with the certificate kind in the AAD (value-seal.ts).
 */
export function sealKey(seal: ValueSeal, pem: string, nameKey: string, version: string): Buffer {
  return seal.sealBytes(Buffer.from(pem, "utf8"), "certificate", nameKey, version);
}

export function openKey(seal: ValueSeal, sealed: Uint8Array, name: string, version: string): KeyObject {
  const pem = seal.openBytes({ value: sealed, name, name_key: name.toLowerCase(), version }, "certificate");
  try {
    return createPrivateKey({ key: pem, format: "pem" });
  } finally {
    pem.fill(0);
  }
}

function ignoreMissing(fn: () => unknown): void {
  try {
    fn();
  } catch (error) {
    // A certificate still pending (no key or secret yet) or one whose linked object is already gone.
    if (!(error instanceof NotFoundError)) throw error;
  }
}
