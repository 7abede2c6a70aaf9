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
} from "../backends/certificates-backend.js";
import type { OpenedBackend } from "../backends/open-backend.js";
import { InvalidValueError } from "../core/errors.js";
import { assertValidName, assertValidVersion, byName } from "../core/rules.js";
import type { SecretStr } from "../core/secret-str.js";
import type { VaultTarget } from "../settings/vault-target.js";
import type { CertificateMaterial, TlsOptions } from "../x509/index.js";
import { materialOf, pemBundleOf, pemFiles, pfxOf, tlsOptionsOf, type CertificatePemFiles } from "./certificates-download.js";
import { collectAll, LazyBackend } from "./lazy-backend.js";

/** What `createCertificate` answers: the operation, and the certificate when it completed at once (issuer Self). */
export interface CreatedCertificate {
  operation: CertificateOperation;
  certificate?: KeyVaultCertificate;
}

const DEFAULT_POLICY: WirePolicy = { issuer: { name: "Self" } };

/**
 * The certificates of one vault, in Key Vault's terms (the SDK's `CertificateClient`), plus what
 * users write by hand: downloads as PEM (key, certificate, chain, apart or together), PFX or DER,
 * and `createTlsOptions` for `https.createServer`. Policies are Key Vault's REST JSON. Failures
 * are typed `OrbitraError`s: `CertificateNotFound`, `InvalidValue` (an impossible policy,
 * unreadable PEM or PFX, a wrong password), `Conflict`, `PermissionDenied`.
 */
export class OrbitraCertificatesClient {
  /** The vault this client talks to, as resolved from arguments and settings. */
  readonly target: VaultTarget;
  readonly #opened: LazyBackend<OpenedBackend>;

  /** Prefer {@link getCertificatesClient}. */
  constructor(target: VaultTarget, open: () => Promise<OpenedBackend>) {
    this.target = target;
    this.#opened = new LazyBackend(open);
  }

  /**
   * A new certificate (or version) from a policy; missing members take Key Vault's defaults
   * (issuer Self, RSA 2048, PFX, 12 months). Issuer Self completes at once; any other issuer leaves
   * the operation pending with a CSR for {@link mergeCertificate}. Needs `certificates/create/action`.
   */
  async createCertificate(name: string, policy: WirePolicy = DEFAULT_POLICY, options: CertificateWriteOptions = {}): Promise<CreatedCertificate> {
    assertValidName(name, "certificate");
    const backend = await this.#ready();
    const operation = await backend.createCertificate(name, policy, options);
    if (operation.status !== "completed") return { operation };
    return { operation, certificate: await backend.getCertificate(name) };
  }

  async getCertificateOperation(name: string): Promise<CertificateOperation> {
    assertValidName(name, "certificate");
    return (await this.#ready()).getCertificateOperation(name);
  }

  async cancelCertificateOperation(name: string): Promise<CertificateOperation> {
    assertValidName(name, "certificate");
    return (await this.#ready()).cancelCertificateOperation(name);
  }

  async deleteCertificateOperation(name: string): Promise<CertificateOperation> {
    assertValidName(name, "certificate");
    return (await this.#ready()).deleteCertificateOperation(name);
  }

  /** The certificate an outside CA signed for the pending CSR (DER), then its chain. */
  async mergeCertificate(name: string, x509Certificates: Uint8Array[], options: CertificateWriteOptions = {}): Promise<KeyVaultCertificate> {
    assertValidName(name, "certificate");
    if (!Array.isArray(x509Certificates) || x509Certificates.length === 0 || !x509Certificates.every((c) => c instanceof Uint8Array)) {
      throw new InvalidValueError("A merge needs at least one certificate, as DER bytes.", { kind: "certificate", objectName: name });
    }
    return (await this.#ready()).mergeCertificate(name, x509Certificates, options);
  }

  /** PEM text or PFX bytes, with the private key. Needs `certificates/import/action`. */
  async importCertificate(name: string, content: Uint8Array | string, options: ImportCertificateOptions = {}): Promise<KeyVaultCertificate> {
    assertValidName(name, "certificate");
    const bytes = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    return (await this.#ready()).importCertificate(name, bytes, options);
  }

  async getCertificate(name: string, version?: string): Promise<KeyVaultCertificate> {
    this.#check(name, version);
    return (await this.#ready()).getCertificate(name, version);
  }

  async updateCertificateProperties(name: string, version: string | undefined, update: CertificateWriteOptions): Promise<KeyVaultCertificate> {
    this.#check(name, version);
    return (await this.#ready()).updateCertificateProperties(name, version, update);
  }

  async getCertificatePolicy(name: string): Promise<CertificatePolicy> {
    assertValidName(name, "certificate");
    return (await this.#ready()).getCertificatePolicy(name);
  }

  async updateCertificatePolicy(name: string, patch: WirePolicy): Promise<CertificatePolicy> {
    assertValidName(name, "certificate");
    return (await this.#ready()).updateCertificatePolicy(name, patch);
  }

  async listCertificates(options: { includePending?: boolean } = {}): Promise<CertificateProperties[]> {
    return (await collectAll((await this.#ready()).listCertificates(options))).sort(byName);
  }

  async listCertificateVersions(name: string): Promise<CertificateProperties[]> {
    assertValidName(name, "certificate");
    return collectAll((await this.#ready()).listCertificateVersions(name));
  }

  /** Soft-deletes the certificate with its key and secret. */
  async deleteCertificate(name: string): Promise<DeletedCertificate> {
    assertValidName(name, "certificate");
    return (await this.#ready()).deleteCertificate(name);
  }

  async getDeletedCertificate(name: string): Promise<DeletedCertificate> {
    assertValidName(name, "certificate");
    return (await this.#ready()).getDeletedCertificate(name);
  }

  async listDeletedCertificates(): Promise<DeletedCertificateProperties[]> {
    return (await collectAll((await this.#ready()).listDeletedCertificates())).sort(byName);
  }

  async recoverDeletedCertificate(name: string): Promise<KeyVaultCertificate> {
    assertValidName(name, "certificate");
    return (await this.#ready()).recoverDeletedCertificate(name);
  }

  async purgeDeletedCertificate(name: string): Promise<void> {
    assertValidName(name, "certificate");
    await (await this.#ready()).purgeDeletedCertificate(name);
  }

  async backupCertificate(name: string): Promise<Uint8Array> {
    assertValidName(name, "certificate");
    return (await this.#ready()).backupCertificate(name);
  }

  async restoreCertificateBackup(backup: Uint8Array): Promise<KeyVaultCertificate> {
    return (await this.#ready()).restoreCertificateBackup(backup);
  }

  async getContacts(): Promise<CertificateContact[]> {
    return (await this.#ready()).getContacts();
  }

  async setContacts(contacts: CertificateContact[]): Promise<CertificateContact[]> {
    return (await this.#ready()).setContacts(contacts);
  }

  async deleteContacts(): Promise<void> {
    await (await this.#ready()).deleteContacts();
  }

  /** Issuers the vault keeps (names and providers). Needs `certificatecas/read`. */
  async listIssuers(): Promise<CertificateIssuer[]> {
    return (await (await this.#ready()).listIssuers()).sort(byName);
  }

  async getIssuer(name: string): Promise<CertificateIssuer> {
    assertValidName(name, "issuer");
    return (await this.#ready()).getIssuer(name);
  }

  /** Creates or replaces an issuer; its password is stored, never read back. Needs `certificatecas/write`. */
  async setIssuer(name: string, issuer: IssuerInput): Promise<CertificateIssuer> {
    assertValidName(name, "issuer");
    return (await this.#ready()).setIssuer(name, issuer);
  }

  async deleteIssuer(name: string): Promise<CertificateIssuer> {
    assertValidName(name, "issuer");
    return (await this.#ready()).deleteIssuer(name);
  }

  /** The leaf as DER (a `.cer` file); needs only `certificates/read`. */
  async downloadCer(name: string, version?: string): Promise<Uint8Array> {
    return (await this.getCertificate(name, version)).cer;
  }

  /** Key (when exportable), certificate and chain as separate PEM texts. Reads the linked secret (`secrets/getSecret/action`). */
  async downloadPemFiles(name: string, version?: string): Promise<CertificatePemFiles> {
    return pemFiles(await this.#material(name, version));
  }

  /** One PEM: key (when exportable), certificate, chain, in Key Vault's order. */
  async downloadPem(name: string, version?: string): Promise<SecretStr> {
    return pemBundleOf(await this.#material(name, version));
  }

  /** A PFX, with `password` if given (Key Vault's own secret has none). */
  async downloadPfx(name: string, options: { version?: string; password?: string } = {}): Promise<Uint8Array> {
    return pfxOf(await this.#material(name, options.version), options.password);
  }

  /** `https.createServer(await certs.createTlsOptions("dev-tls"), handler)`; `ca` is what a client of that server should trust. */
  async createTlsOptions(name: string, version?: string): Promise<TlsOptions> {
    return tlsOptionsOf(await this.#material(name, version));
  }

  /** Idempotent; a later call reopens. */
  close(): Promise<void> {
    return this.#opened.close();
  }

  async #material(name: string, version?: string): Promise<CertificateMaterial> {
    const certificate = await this.getCertificate(name, version);
    const opened = await this.#opened.ready();
    const { properties, value } = await opened.secrets.getSecret(name, certificate.properties.version);
    return materialOf(value?.reveal() ?? "", properties.contentType, certificate.cer);
  }

  #check(name: string, version: string | undefined): void {
    assertValidName(name, "certificate");
    if (version !== undefined) assertValidVersion(version);
  }

  async #ready(): Promise<CertificatesBackend> {
    return (await this.#opened.ready()).certificates();
  }
}
