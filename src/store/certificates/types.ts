import type { RecoveryLevel } from "../../core/types.js";
import type { CertificatePolicy } from "../../x509/index.js";
import type { KeyStore } from "../keys/types.js";

/**
 * One certificate version as the store hands it out: the leaf's DER and its chain, never the
 * private key (that leaves through the managed secret, as on Key Vault). Times in Unix seconds;
 * nbf / exp are the X.509 validity, so they cannot be updated.
 */
export interface StoredCertificate {
  name: string;
  version: string;
  /** The leaf, DER. */
  cer: Buffer;
  /** Issuers, DER, leaf's issuer first (empty for a self-signed certificate). */
  chain: Buffer[];
  /** SHA-1 of the DER, base64url. */
  x5t: string;
  enabled: boolean;
  notBefore: number;
  expiresOn: number;
  created: number;
  updated: number;
  tags: Record<string, string>;
  /** The linked secret's content type (the policy's secret_props.contentType). */
  contentType: string;
  /** The certificate's policy (the same for every version: Key Vault keeps one per certificate). */
  policy: CertificatePolicy;
  recoveryLevel: RecoveryLevel;
  recoverableDays: number;
}

export interface StoredDeletedCertificate extends StoredCertificate {
  deletedDate: number;
  scheduledPurgeDate: number;
}

/** A listing entry: a certificate, or (with includePending) one whose first version awaits a merge. */
export type StoredCertificateItem = StoredCertificate | StoredPendingCertificate;

export interface StoredPendingCertificate {
  name: string;
  pending: true;
  enabled: boolean;
  created: number;
  updated: number;
  tags: Record<string, string>;
  recoveryLevel: RecoveryLevel;
  recoverableDays: number;
}

export type OperationStatus = "inProgress" | "completed" | "cancelled" | "failed";

/** `/certificates/{n}/pending`: the last create (or merge) of a certificate and where it stands. */
export interface StoredCertificateOperation {
  name: string;
  issuerName: string;
  /** PKCS#10 DER; what an outside CA signs for issuer Unknown. */
  csr?: Buffer;
  cancellationRequested: boolean;
  status: OperationStatus;
  statusDetails: string;
  /** 32 hex. */
  requestId: string;
  error?: { code: string; message: string };
  /** The certificate the operation made, once completed. */
  completed: boolean;
}

export interface CertificateAttributesInput {
  enabled?: boolean;
  tags?: Record<string, string>;
}

export interface CertificateImportInput extends CertificateAttributesInput {
  /** PEM text, or the PFX as base64 text or bytes (the service tells them apart). */
  value: string | Uint8Array;
  password?: string;
  /** Wire JSON; members it leaves out come from the certificate itself. */
  policy?: unknown;
  preserveCertOrder?: boolean;
}

/** `/certificates/contacts`. */
export interface CertificateContact {
  email?: string;
  name?: string;
  phone?: string;
}

/** `/certificates/issuers/{name}`, in wire names; the password is kept sealed and never answered. */
export interface StoredIssuer {
  name: string;
  provider: string;
  accountId?: string;
  /** Whether a password is stored (its value never leaves the store). */
  hasPassword: boolean;
  orgDetails?: { id?: string; admin_details?: { first_name?: string; last_name?: string; email?: string; phone?: string }[] };
  enabled: boolean;
  created: number;
  updated: number;
}

export interface IssuerInput {
  provider?: string;
  credentials?: { account_id?: string; pwd?: string };
  org_details?: StoredIssuer["orgDetails"];
  attributes?: { enabled?: boolean };
}

/** What a certificate needs of `vault.keys`: its managed key is written and deleted with it. */
export type CertificateKeys = Pick<
  KeyStore,
  "importKey" | "getKey" | "updateKeyProperties" | "deleteKey" | "recoverDeletedKey" | "purgeDeletedKey" | "backupKey" | "restoreKeyBackup"
>;
