import type { TokenCredential } from "@azure/core-auth";
import type { CertificateClient, CertificateIssuer as SdkIssuer, CertificatePolicy as SdkPolicy } from "@azure/keyvault-certificates";
import type { ObjectKind } from "../core/errors.js";
import { looksLikePem, normalisePolicy, updatePolicy } from "../x509/index.js";
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
import {
  certificateFromSdk,
  deletedCertificateFromSdk,
  deletedPropertiesFromSdk,
  operationFromSdk,
  policyFromSdk,
  policyToSdk,
  propertiesFromSdk,
} from "./certificates-sdk-model.js";
import type { KeyVaultBackendOptions } from "./keyvault-backend.js";
import { mapSdkError } from "./map-sdk-error.js";
import { callSdk, listSdk, pollOptions } from "./sdk-calls.js";
import { sdkPipelineOptions } from "./sdk-options.js";

const KIND: ObjectKind = "certificate";

function sdkWrite(options: CertificateWriteOptions): { enabled?: boolean; tags?: Record<string, string> } {
  return { ...(options.enabled !== undefined ? { enabled: options.enabled } : {}), ...(options.tags !== undefined ? { tags: { ...options.tags } } : {}) };
}

/**
 * Certificates behind the Key Vault REST API, through the official `CertificateClient` on the
 * same credential and pipeline options as the other kinds (sdk-options.ts). Policies are checked
 * and filled in here first (x509/policy.ts), so a refusal names the property before any request.
 */
export class KeyVaultCertificatesBackend implements CertificatesBackend {
  readonly vaultUrl: string;
  readonly #client: CertificateClient;
  readonly #poll: { intervalInMs?: number };

  private constructor(client: CertificateClient, options: KeyVaultBackendOptions) {
    this.#client = client;
    this.vaultUrl = options.vaultUrl;
    this.#poll = pollOptions(options.pollIntervalMs);
  }

  /** Loads the SDK on first use only. */
  static async create(options: KeyVaultBackendOptions & { credential: TokenCredential }): Promise<KeyVaultCertificatesBackend> {
    const { CertificateClient } = await import("@azure/keyvault-certificates");
    return new KeyVaultCertificatesBackend(new CertificateClient(options.vaultUrl, options.credential, sdkPipelineOptions(options, { offsetMs: 0 })), options);
  }

  async createCertificate(name: string, policy: WirePolicy, options: CertificateWriteOptions = {}): Promise<CertificateOperation> {
    const normalised = normalisePolicy(policy);
    const poller = await this.#call(name, () => this.#client.beginCreateCertificate(name, policyToSdk(normalised), { ...sdkWrite(options), ...this.#poll }));
    if (normalised.issuer.name === "Self") await this.#call(name, () => poller.pollUntilDone());
    return this.getCertificateOperation(name);
  }

  async getCertificateOperation(name: string): Promise<CertificateOperation> {
    const poller = await this.#call(name, () => this.#client.getCertificateOperation(name, this.#poll));
    return operationFromSdk(poller.getOperationState().certificateOperation!);
  }

  async cancelCertificateOperation(name: string): Promise<CertificateOperation> {
    const poller = await this.#call(name, () => this.#client.getCertificateOperation(name, this.#poll));
    await this.#call(name, () => poller.cancelOperation());
    return operationFromSdk(poller.getOperationState().certificateOperation!);
  }

  async deleteCertificateOperation(name: string): Promise<CertificateOperation> {
    return operationFromSdk(await this.#call(name, () => this.#client.deleteCertificateOperation(name)));
  }

  async mergeCertificate(name: string, x509Certificates: Uint8Array[], options: CertificateWriteOptions = {}): Promise<KeyVaultCertificate> {
    // The SDK's merge takes no attributes: they follow as an update.
    const merged = certificateFromSdk(await this.#call(name, () => this.#client.mergeCertificate(name, x509Certificates)));
    if (options.enabled === undefined && options.tags === undefined) return merged;
    return this.updateCertificateProperties(name, merged.properties.version, options);
  }

  async importCertificate(name: string, content: Uint8Array, options: ImportCertificateOptions = {}): Promise<KeyVaultCertificate> {
    const { password, policy, ...attributes } = options;
    // The SDK (4.10.3) sends neither `policy` nor `enabled` with an import: set them after it.
    // Its policy's contentType only says how to send the bytes: PEM as text, anything else as base64.
    const sendAs = looksLikePem(content) ? { policy: { contentType: "application/x-pem-file" as const } } : {};
    const imported = await this.#call(name, () =>
      this.#client.importCertificate(name, content, { ...sdkWrite(attributes), ...sendAs, ...(password !== undefined ? { password } : {}) }),
    );
    if (policy !== undefined) await this.updateCertificatePolicy(name, policy);
    if (attributes.enabled === false) return this.updateCertificateProperties(name, imported.properties.version, { enabled: false });
    return policy === undefined ? certificateFromSdk(imported) : this.getCertificate(name);
  }

  async getCertificate(name: string, version?: string): Promise<KeyVaultCertificate> {
    if (version === undefined) return certificateFromSdk(await this.#call(name, () => this.#client.getCertificate(name)));
    return certificateFromSdk(await this.#call(name, () => this.#client.getCertificateVersion(name, version)));
  }

  async updateCertificateProperties(name: string, version: string | undefined, update: CertificateWriteOptions): Promise<KeyVaultCertificate> {
    return certificateFromSdk(await this.#call(name, () => this.#client.updateCertificateProperties(name, version ?? "", sdkWrite(update))));
  }

  async getCertificatePolicy(name: string): Promise<CertificatePolicy> {
    return policyFromSdk(await this.#call(name, () => this.#client.getCertificatePolicy(name)));
  }

  /** Merged here as the store merges it (x509/policy.ts updatePolicy); the SDK drops the reply, so it is read back. */
  async updateCertificatePolicy(name: string, patch: WirePolicy): Promise<CertificatePolicy> {
    const merged = updatePolicy(await this.getCertificatePolicy(name), patch);
    await this.#call(name, () => this.#client.updateCertificatePolicy(name, policyToSdk(merged) as SdkPolicy));
    return this.getCertificatePolicy(name);
  }

  listCertificates(options: { includePending?: boolean } = {}): AsyncIterable<CertificateProperties> {
    return this.#list(undefined, () => this.#client.listPropertiesOfCertificates({ includePending: options.includePending === true }), (p) => propertiesFromSdk(p, false));
  }

  listCertificateVersions(name: string): AsyncIterable<CertificateProperties> {
    return this.#list(name, () => this.#client.listPropertiesOfCertificateVersions(name), (p) => propertiesFromSdk(p));
  }

  async deleteCertificate(name: string): Promise<DeletedCertificate> {
    const poller = await this.#call(name, () => this.#client.beginDeleteCertificate(name, this.#poll));
    return deletedCertificateFromSdk(await this.#call(name, () => poller.pollUntilDone()));
  }

  async getDeletedCertificate(name: string): Promise<DeletedCertificate> {
    return deletedCertificateFromSdk(await this.#call(name, () => this.#client.getDeletedCertificate(name)));
  }

  listDeletedCertificates(): AsyncIterable<DeletedCertificateProperties> {
    return this.#list(undefined, () => this.#client.listDeletedCertificates(), deletedPropertiesFromSdk);
  }

  async recoverDeletedCertificate(name: string): Promise<KeyVaultCertificate> {
    const poller = await this.#call(name, () => this.#client.beginRecoverDeletedCertificate(name, this.#poll));
    return certificateFromSdk(await this.#call(name, () => poller.pollUntilDone()));
  }

  async purgeDeletedCertificate(name: string): Promise<void> {
    await this.#call(name, () => this.#client.purgeDeletedCertificate(name));
  }

  async backupCertificate(name: string): Promise<Uint8Array> {
    return (await this.#call(name, () => this.#client.backupCertificate(name))) ?? new Uint8Array();
  }

  async restoreCertificateBackup(backup: Uint8Array): Promise<KeyVaultCertificate> {
    return certificateFromSdk(await this.#call(undefined, () => this.#client.restoreCertificateBackup(backup)));
  }

  async getContacts(): Promise<CertificateContact[]> {
    try {
      return ((await this.#client.getContacts()) ?? []).map((c) => contact(c as CertificateContact));
    } catch (error) {
      // None set is Key Vault's 404; the model says so with an empty list.
      if ((error as { statusCode?: number }).statusCode === 404) return [];
      throw mapSdkError(error, this.vaultUrl, undefined, KIND);
    }
  }

  async setContacts(contacts: CertificateContact[]): Promise<CertificateContact[]> {
    const sdkContacts = contacts as Parameters<CertificateClient["setContacts"]>[0];
    return ((await this.#call(undefined, () => this.#client.setContacts(sdkContacts))) ?? []).map((c) => contact(c as CertificateContact));
  }

  async deleteContacts(): Promise<void> {
    await this.#call(undefined, () => this.#client.deleteContacts());
  }

  async listIssuers(): Promise<CertificateIssuer[]> {
    const out: CertificateIssuer[] = [];
    // The SDK hands list items over as the wire has them: an id and a provider.
    for await (const item of this.#list(undefined, () => this.#client.listPropertiesOfIssuers(), (i) => i)) {
      out.push({ name: decodeURIComponent(item.id!.split("/").at(-1)!), provider: item.provider! });
    }
    return out;
  }

  async getIssuer(name: string): Promise<CertificateIssuer> {
    return issuerFromSdk(await this.#call(name, () => this.#client.getIssuer(name)), name);
  }

  async setIssuer(name: string, issuer: IssuerInput): Promise<CertificateIssuer> {
    const options = {
      ...(issuer.accountId !== undefined ? { accountId: issuer.accountId } : {}),
      ...(issuer.password !== undefined ? { password: issuer.password } : {}),
      ...(issuer.enabled !== undefined ? { enabled: issuer.enabled } : {}),
    };
    return issuerFromSdk(await this.#call(name, () => this.#client.createIssuer(name, issuer.provider, options)), name);
  }

  async deleteIssuer(name: string): Promise<CertificateIssuer> {
    return issuerFromSdk(await this.#call(name, () => this.#client.deleteIssuer(name)), name);
  }

  async close(): Promise<void> {
    // The SDK client holds no sockets of its own between calls.
  }

  #call<T>(name: string | undefined, operation: () => Promise<T>): Promise<T> {
    return callSdk(this.vaultUrl, KIND, name, operation);
  }

  #list<S, T>(name: string | undefined, open: () => AsyncIterable<S>, map: (item: S) => T): AsyncIterable<T> {
    return listSdk(this.vaultUrl, KIND, name, open, map);
  }
}

/** The SDK (4.10.3) parses an issuer's id as a certificate's and names every issuer "issuers": the name asked for is the one. */
function issuerFromSdk(sdk: SdkIssuer, name: string): CertificateIssuer {
  const issuer: CertificateIssuer = { name, provider: sdk.provider! };
  if (sdk.accountId) issuer.accountId = sdk.accountId;
  if (sdk.enabled !== undefined) issuer.enabled = sdk.enabled;
  if (sdk.createdOn) issuer.createdOn = sdk.createdOn;
  if (sdk.updatedOn) issuer.updatedOn = sdk.updatedOn;
  return issuer;
}

/** The SDK fills absent members with undefined; the model leaves them out. */
function contact(c: CertificateContact): CertificateContact {
  return { ...(c.email ? { email: c.email } : {}), ...(c.name ? { name: c.name } : {}), ...(c.phone ? { phone: c.phone } : {}) };
}
