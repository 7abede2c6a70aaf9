import type { CertificateRepository } from "../store/certificates/repository.js";
import type { StoredIssuer } from "../store/certificates/types.js";
import type {
  CertificateContact,
  CertificateIssuer,
  CertificateOperation,
  CertificatePolicy,
  CertificateProperties,
  CertificatesBackend,
  CertificateWriteOptions,
  DeletedCertificate,
  DeletedCertificateProperties,
  ImportCertificateOptions,
  IssuerInput,
  KeyVaultCertificate,
  WirePolicy,
} from "./certificates-backend.js";
import { toCertificateOperation, toCertificateProperties, toDeletedCertificate, toDeletedCertificateProperties, toKeyVaultCertificate } from "./certificates-model.js";
import { inLocalWords, type LocalOperation } from "./local-messages.js";
import { pages } from "./local-pages.js";
import type { LocalVaultHandle } from "./local-vault-handle.js";

/**
 * The embedded store's certificates, in-process: `vault.certificates` of the target's one file
 * handle (shared with its secrets and keys). Due AutoRenew actions run before each read, on the
 * store's clock, as `vault serve` does.
 */
export class LocalCertificatesBackend implements CertificatesBackend {
  readonly vaultUrl: string;
  readonly #handle: LocalVaultHandle;

  constructor(handle: LocalVaultHandle) {
    this.#handle = handle;
    this.vaultUrl = handle.vaultUrl;
  }

  #store(write = false): CertificateRepository {
    return this.#handle.vault(write).certificates;
  }

  async #renewed(): Promise<CertificateRepository> {
    const store = this.#store();
    await store.renewDue();
    return store;
  }

  async createCertificate(name: string, policy: WirePolicy, options: CertificateWriteOptions = {}): Promise<CertificateOperation> {
    return toCertificateOperation(await worded("read", name, () => this.#store(true).createCertificate(name, { ...options, policy })));
  }

  async getCertificateOperation(name: string): Promise<CertificateOperation> {
    return toCertificateOperation(await worded("read", name, () => this.#store().getCertificateOperation(name)));
  }

  async cancelCertificateOperation(name: string): Promise<CertificateOperation> {
    return toCertificateOperation(await worded("read", name, () => this.#store().cancelCertificateOperation(name)));
  }

  async deleteCertificateOperation(name: string): Promise<CertificateOperation> {
    return toCertificateOperation(await worded("read", name, () => this.#store().deleteCertificateOperation(name)));
  }

  async mergeCertificate(name: string, x509Certificates: Uint8Array[], options: CertificateWriteOptions = {}): Promise<KeyVaultCertificate> {
    return toKeyVaultCertificate(await worded("read", name, () => this.#store().mergeCertificate(name, x509Certificates, options)), this.vaultUrl);
  }

  async importCertificate(name: string, content: Uint8Array, options: ImportCertificateOptions = {}): Promise<KeyVaultCertificate> {
    const { password, policy, ...attributes } = options;
    const input = { ...attributes, value: content, ...(password !== undefined ? { password } : {}), ...(policy !== undefined ? { policy } : {}) };
    return toKeyVaultCertificate(await worded("read", name, () => this.#store(true).importCertificate(name, input)), this.vaultUrl);
  }

  async getCertificate(name: string, version?: string): Promise<KeyVaultCertificate> {
    const store = await this.#renewed();
    return toKeyVaultCertificate(await worded("read", name, () => store.getCertificate(name, version)), this.vaultUrl, version === undefined);
  }

  async updateCertificateProperties(name: string, version: string | undefined, update: CertificateWriteOptions): Promise<KeyVaultCertificate> {
    return toKeyVaultCertificate(await worded("read", name, () => this.#store().updateCertificateProperties(name, version, update)), this.vaultUrl);
  }

  async getCertificatePolicy(name: string): Promise<CertificatePolicy> {
    return worded("read", name, () => this.#store().getCertificatePolicy(name));
  }

  async updateCertificatePolicy(name: string, patch: WirePolicy): Promise<CertificatePolicy> {
    return worded("read", name, () => this.#store().updateCertificatePolicy(name, patch));
  }

  async *listCertificates(options: { includePending?: boolean } = {}): AsyncIterable<CertificateProperties> {
    const store = await this.#renewed();
    const includePending = options.includePending === true;
    for (const item of pages((page) => store.listCertificates({ ...page, includePending }))) yield toCertificateProperties(item, this.vaultUrl, false);
  }

  async *listCertificateVersions(name: string): AsyncIterable<CertificateProperties> {
    const store = await this.#renewed();
    for (const item of pages((page) => store.listCertificateVersions(name, page))) yield toCertificateProperties(item, this.vaultUrl);
  }

  async deleteCertificate(name: string): Promise<DeletedCertificate> {
    return toDeletedCertificate(await worded("read", name, () => this.#store().deleteCertificate(name)), this.vaultUrl);
  }

  async getDeletedCertificate(name: string): Promise<DeletedCertificate> {
    return toDeletedCertificate(await worded("deleted", name, () => this.#store().getDeletedCertificate(name)), this.vaultUrl);
  }

  async *listDeletedCertificates(): AsyncIterable<DeletedCertificateProperties> {
    for (const item of pages((page) => this.#store().listDeletedCertificates(page))) yield toDeletedCertificateProperties(item, this.vaultUrl);
  }

  async recoverDeletedCertificate(name: string): Promise<KeyVaultCertificate> {
    return toKeyVaultCertificate(await worded("deleted", name, () => this.#store().recoverDeletedCertificate(name)), this.vaultUrl);
  }

  async purgeDeletedCertificate(name: string): Promise<void> {
    await worded("deleted", name, () => this.#store().purgeDeletedCertificate(name));
  }

  async backupCertificate(name: string): Promise<Uint8Array> {
    return new Uint8Array(await worded("read", name, () => this.#store().backupCertificate(name)));
  }

  async restoreCertificateBackup(backup: Uint8Array): Promise<KeyVaultCertificate> {
    return toKeyVaultCertificate(await worded("read", "", () => this.#store(true).restoreCertificateBackup(backup)), this.vaultUrl);
  }

  async getContacts(): Promise<CertificateContact[]> {
    return this.#store().issuers.getContacts() ?? [];
  }

  async setContacts(contacts: CertificateContact[]): Promise<CertificateContact[]> {
    return this.#store(true).issuers.setContacts(contacts);
  }

  async deleteContacts(): Promise<void> {
    this.#store().issuers.deleteContacts();
  }

  async listIssuers(): Promise<CertificateIssuer[]> {
    return this.#store().issuers.listIssuers().map((i) => ({ name: i.name, provider: i.provider }));
  }

  async getIssuer(name: string): Promise<CertificateIssuer> {
    return issuerOf(await worded("read", name, () => this.#store().issuers.getIssuer(name)));
  }

  async setIssuer(name: string, issuer: IssuerInput): Promise<CertificateIssuer> {
    const credentials = { ...(issuer.accountId !== undefined ? { account_id: issuer.accountId } : {}), ...(issuer.password !== undefined ? { pwd: issuer.password } : {}) };
    const input = { provider: issuer.provider, credentials, ...(issuer.enabled !== undefined ? { attributes: { enabled: issuer.enabled } } : {}) };
    return issuerOf(await worded("read", name, () => this.#store(true).issuers.setIssuer(name, input)));
  }

  async deleteIssuer(name: string): Promise<CertificateIssuer> {
    return issuerOf(await worded("read", name, () => this.#store().issuers.deleteIssuer(name)));
  }

  async close(): Promise<void> {
    this.#handle.close();
  }
}

function issuerOf(i: StoredIssuer): CertificateIssuer {
  const issuer: CertificateIssuer = { name: i.name, provider: i.provider, enabled: i.enabled, createdOn: new Date(i.created * 1000), updatedOn: new Date(i.updated * 1000) };
  if (i.accountId !== undefined) issuer.accountId = i.accountId;
  return issuer;
}

async function worded<T>(operation: LocalOperation, name: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw inLocalWords(error, operation, name, undefined, "certificate");
  }
}
