import type { ObjectProperties } from "../core/types.js";
import type { CertificatePolicy, WirePolicy } from "../x509/index.js";

/**
 * The library's certificate model. Policies are Key Vault's REST JSON (wire names, as the docs,
 * `az rest` and `orbitra certs create --policy FILE` write them): `WirePolicy` in, the
 * normalised `CertificatePolicy` (every default filled in) out, on both backends alike.
 */
export type { CertificatePolicy, WirePolicy };

/** A certificate version's properties: what every kind shares (core/types.ts), plus the thumbprint. `version` is absent on `listCertificates` items and on a certificate still pending. */
export interface CertificateProperties extends ObjectProperties {
  /** SHA-1 of the DER (`x5t`); absent while pending. */
  x509Thumbprint?: Uint8Array;
  /** The same as lowercase hex, as the SDK gives it. */
  x509ThumbprintString?: string;
}

export interface KeyVaultCertificate {
  properties: CertificateProperties;
  /** The leaf, DER. */
  cer: Uint8Array;
  /** The managed key and secret of the same name and version. */
  keyId: string;
  secretId: string;
  /** On reads of the latest version. */
  policy?: CertificatePolicy;
}

export interface DeletedCertificateProperties extends CertificateProperties {
  /** `https://vault/deletedcertificates/name`. */
  recoveryId: string;
  deletedOn: Date;
  scheduledPurgeDate: Date;
}

export interface DeletedCertificate extends KeyVaultCertificate {
  properties: DeletedCertificateProperties;
}

/** A create's operation: issuer Self completes at once; Unknown waits with a CSR for a merge. */
export interface CertificateOperation {
  name: string;
  issuerName: string;
  status: "inProgress" | "completed" | "cancelled" | "failed" | string;
  statusDetails?: string;
  cancellationRequested: boolean;
  /** PKCS#10 DER for an outside CA to sign. */
  csr?: Uint8Array;
  requestId?: string;
  error?: { code?: string; message?: string };
}

export interface CertificateWriteOptions {
  enabled?: boolean;
  tags?: Record<string, string>;
}

export interface ImportCertificateOptions extends CertificateWriteOptions {
  /** For a PFX with a password, or an encrypted PEM key. */
  password?: string;
  /** Members the certificate itself does not say (contentType, exportable, lifetime actions...). */
  policy?: WirePolicy;
}

export interface CertificateContact {
  email?: string;
  name?: string;
  phone?: string;
}

/** A certificate issuer the vault keeps (this emulator talks to no CA; Azure does). Its password is never read back. */
export interface CertificateIssuer {
  name: string;
  provider: string;
  accountId?: string;
  enabled?: boolean;
  createdOn?: Date;
  updatedOn?: Date;
}

export interface IssuerInput {
  provider: string;
  accountId?: string;
  password?: string;
  enabled?: boolean;
}

/**
 * One vault's certificates, in Key Vault's terms: the embedded store in-process
 * (`LocalCertificatesBackend`) or the official `CertificateClient` (`KeyVaultCertificatesBackend`),
 * to Azure or to `orbitra vault serve`. One contract suite runs against both
 * (test/contract/certificates-contract.ts). Failures are `OrbitraError`s (`CertificateNotFound`,
 * `InvalidValue` for an impossible policy or unreadable content, `Conflict`...). A policy is
 * checked (x509/policy.ts) before anything is sent, so both backends refuse alike.
 */
export interface CertificatesBackend {
  readonly vaultUrl: string;

  /** Starts a create; for issuer Self it returns once the operation has left `inProgress`. */
  createCertificate(name: string, policy: WirePolicy, options?: CertificateWriteOptions): Promise<CertificateOperation>;
  getCertificateOperation(name: string): Promise<CertificateOperation>;
  cancelCertificateOperation(name: string): Promise<CertificateOperation>;
  deleteCertificateOperation(name: string): Promise<CertificateOperation>;
  /** The signed certificate (DER) and its chain, for the pending CSR. */
  mergeCertificate(name: string, x509Certificates: Uint8Array[], options?: CertificateWriteOptions): Promise<KeyVaultCertificate>;
  /** PEM text or PFX bytes; the private key must be in it. */
  importCertificate(name: string, content: Uint8Array, options?: ImportCertificateOptions): Promise<KeyVaultCertificate>;
  getCertificate(name: string, version?: string): Promise<KeyVaultCertificate>;
  updateCertificateProperties(name: string, version: string | undefined, update: CertificateWriteOptions): Promise<KeyVaultCertificate>;
  getCertificatePolicy(name: string): Promise<CertificatePolicy>;
  /** Members given replace the stored ones, section by section. */
  updateCertificatePolicy(name: string, patch: WirePolicy): Promise<CertificatePolicy>;
  listCertificates(options?: { includePending?: boolean }): AsyncIterable<CertificateProperties>;
  listCertificateVersions(name: string): AsyncIterable<CertificateProperties>;
  deleteCertificate(name: string): Promise<DeletedCertificate>;
  getDeletedCertificate(name: string): Promise<DeletedCertificate>;
  listDeletedCertificates(): AsyncIterable<DeletedCertificateProperties>;
  recoverDeletedCertificate(name: string): Promise<KeyVaultCertificate>;
  purgeDeletedCertificate(name: string): Promise<void>;
  backupCertificate(name: string): Promise<Uint8Array>;
  restoreCertificateBackup(backup: Uint8Array): Promise<KeyVaultCertificate>;
  /** Empty when none are set. */
  getContacts(): Promise<CertificateContact[]>;
  setContacts(contacts: CertificateContact[]): Promise<CertificateContact[]>;
  deleteContacts(): Promise<void>;
  /** Names and providers only, as Key Vault lists them. */
  listIssuers(): Promise<CertificateIssuer[]>;
  getIssuer(name: string): Promise<CertificateIssuer>;
  /** Creates or replaces. */
  setIssuer(name: string, issuer: IssuerInput): Promise<CertificateIssuer>;
  deleteIssuer(name: string): Promise<CertificateIssuer>;
  close(): Promise<void>;
}
