import type {
  StoredCertificate,
  StoredCertificateItem,
  StoredCertificateOperation,
  StoredDeletedCertificate,
} from "../store/certificates/types.js";
import type {
  CertificateOperation,
  CertificateProperties,
  DeletedCertificate,
  DeletedCertificateProperties,
  KeyVaultCertificate,
} from "./certificates-backend.js";
import { deletionOf, idOf, objectProperties } from "./properties.js";


/** Stored records as the public model (the local backend's side of certificates-sdk-model.ts). */
export function toCertificateProperties(stored: StoredCertificateItem, vaultUrl: string, withVersion = true): CertificateProperties {
  const pending = "pending" in stored;
  const version = pending || !withVersion ? undefined : stored.version;
  const properties: CertificateProperties = objectProperties(stored, vaultUrl, "certificates", version);
  if (!pending) {
    const x5t = Buffer.from(stored.x5t, "base64url");
    properties.x509Thumbprint = new Uint8Array(x5t);
    properties.x509ThumbprintString = x5t.toString("hex");
  }
  return properties;
}

export function toKeyVaultCertificate(stored: StoredCertificate, vaultUrl: string, withPolicy = true): KeyVaultCertificate {
  const certificate: KeyVaultCertificate = {
    properties: toCertificateProperties(stored, vaultUrl),
    cer: new Uint8Array(stored.cer),
    keyId: idOf(vaultUrl, "keys", stored.name, stored.version),
    secretId: idOf(vaultUrl, "secrets", stored.name, stored.version),
  };
  if (withPolicy) certificate.policy = stored.policy;
  return certificate;
}

function deletion(stored: StoredDeletedCertificate, vaultUrl: string) {
  return deletionOf(stored, vaultUrl, "certificates");
}

export function toDeletedCertificate(stored: StoredDeletedCertificate, vaultUrl: string): DeletedCertificate {
  const certificate = toKeyVaultCertificate(stored, vaultUrl);
  return { ...certificate, properties: { ...certificate.properties, ...deletion(stored, vaultUrl) } };
}

export function toDeletedCertificateProperties(stored: StoredDeletedCertificate, vaultUrl: string): DeletedCertificateProperties {
  return { ...toCertificateProperties(stored, vaultUrl, false), ...deletion(stored, vaultUrl) };
}

export function toCertificateOperation(stored: StoredCertificateOperation): CertificateOperation {
  const op: CertificateOperation = {
    name: stored.name,
    issuerName: stored.issuerName,
    status: stored.status,
    cancellationRequested: stored.cancellationRequested,
    requestId: stored.requestId,
  };
  if (stored.statusDetails !== "") op.statusDetails = stored.statusDetails;
  if (stored.csr !== undefined) op.csr = new Uint8Array(stored.csr);
  if (stored.error !== undefined) op.error = stored.error;
  return op;
}
